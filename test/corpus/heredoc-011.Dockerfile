# syntax=docker/dockerfile:1-labs
FROM python:3.12-slim
WORKDIR /app
RUN <<-EOT
	echo "tab-stripped"
	mkdir -p /app/data
	EOT
RUN <<EOF
set -e
apt-get update
apt-get install -y --no-install-recommends curl
rm -rf /var/lib/apt/lists/*
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
COPY . .
CMD ["/usr/local/bin/entrypoint.sh"]
