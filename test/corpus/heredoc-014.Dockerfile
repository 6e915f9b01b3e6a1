# syntax=docker/dockerfile:1.4
# Container image for the reports service
FROM alpine:3.20
WORKDIR /app
RUN --mount=type=cache,target=/root/.cache/pip <<EOF
pip install --upgrade pip
pip install -r /tmp/requirements.txt
EOF
RUN <<EOF
pip install flask>=2
pip install "requests<3"
EOF
RUN <<'EOF' bash
set -euo pipefail
for f in /etc/*.conf; do
  echo "$f"
done | sort > /tmp/confs
EOF
RUN cat <<EOF > /etc/motd
Welcome to $HOSTNAME
EOF
RUN <<EOF
#!/usr/bin/env bash
set -eux
useradd -m app
chown -R app /app
EOF
CMD ["/usr/local/bin/entrypoint.sh"]
