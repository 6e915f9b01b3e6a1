# syntax=docker/dockerfile:1-labs
FROM python:3.12-slim
WORKDIR /app
RUN <<-EOT
	echo "tab-stripped"
	mkdir -p /app/data
	EOT
RUN <<EOF
#!/usr/bin/env bash
set -eux
useradd -m app
chown -R app /app
EOF
RUN python3 <<EOF
import json, pathlib
pathlib.Path("/app/config.json").write_text(json.dumps({"debug": False}))
EOF
CMD ["python3", "-m", "http.server"]
