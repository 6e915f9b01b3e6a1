# syntax=docker/dockerfile:1
FROM python:3.12-slim
WORKDIR /app
RUN <<EOF
#!/usr/bin/env bash
set -eux
useradd -m app
chown -R app /app
EOF
RUN <<'EOF' bash
set -euo pipefail
for f in /etc/*.conf; do
  echo "$f"
done | sort > /tmp/confs
EOF
COPY <<-EOF /usr/local/bin/entrypoint.sh
	#!/bin/sh
	exec "$@"
	EOF
RUN --mount=type=cache,target=/root/.cache/pip <<EOF
pip install --upgrade pip
pip install -r /tmp/requirements.txt
EOF
CMD ["python3", "-m", "http.server"]
