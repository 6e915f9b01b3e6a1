# syntax=docker/dockerfile:1-labs
# Dockerfile for the search service
FROM python:3.12-slim
WORKDIR /app
RUN cat <<EOF > /etc/motd
Welcome to $HOSTNAME
EOF
RUN <<EOF
pip install flask>=2
pip install "requests<3"
EOF
COPY --chmod=755 <<EOF /usr/local/bin/healthcheck
#!/bin/sh
wget -qO- http://localhost:8080/health
EOF
RUN <<EOF
#!/usr/bin/env bash
set -eux
useradd -m app
chown -R app /app
EOF
CMD ["python3", "-m", "http.server"]
