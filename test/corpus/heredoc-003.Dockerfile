# syntax=docker/dockerfile:1.7-labs
# Dockerfile for the billing service
FROM alpine:3.20
WORKDIR /app
RUN <<EOF
#!/usr/bin/env bash
set -eux
useradd -m app
chown -R app /app
EOF
RUN <<EOF
set -e
apt-get update
apt-get install -y --no-install-recommends curl
rm -rf /var/lib/apt/lists/*
EOF
CMD ["/usr/local/bin/entrypoint.sh"]
