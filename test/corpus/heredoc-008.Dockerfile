# syntax=docker/dockerfile:1-labs
# check=error=true
FROM alpine:3.20
WORKDIR /app
RUN <<'EOF' bash
set -euo pipefail
for f in /etc/*.conf; do
  echo "$f"
done | sort > /tmp/confs
EOF
RUN <<-EOT
	echo "tab-stripped"
	mkdir -p /app/data
	EOT
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
COPY . .
CMD ["python3", "-m", "http.server"]
