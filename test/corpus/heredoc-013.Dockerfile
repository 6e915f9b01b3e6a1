# syntax=docker/dockerfile:1.7
FROM python:3.12-slim
WORKDIR /app
RUN <<EOF
set -e
apt-get update
apt-get install -y --no-install-recommends curl
rm -rf /var/lib/apt/lists/*
EOF
RUN python3 <<EOF
import json, pathlib
pathlib.Path("/app/config.json").write_text(json.dumps({"debug": False}))
EOF
RUN --mount=type=cache,target=/root/.cache/pip <<EOF
pip install --upgrade pip
pip install -r /tmp/requirements.txt
EOF
RUN <<-EOT
	echo "tab-stripped"
	mkdir -p /app/data
	EOT
RUN <<'EOF' bash
set -euo pipefail
for f in /etc/*.conf; do
  echo "$f"
done | sort > /tmp/confs
EOF
CMD ["python3", "-m", "http.server"]