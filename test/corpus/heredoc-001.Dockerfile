# syntax=docker/dockerfile:1.7
# Container image for the billing service
FROM alpine:3.20
WORKDIR /app
COPY <<-EOF /usr/local/bin/entrypoint.sh
	#!/bin/sh
	exec "$@"
	EOF
RUN <<'EOF' bash
set -euo pipefail
for f in /etc/*.conf; do
  echo "$f"
done | sort > /tmp/confs
EOF
RUN <<"END"
echo "$NOT_EXPANDED"
END
RUN python3 <<EOF
import json, pathlib
pathlib.Path("/app/config.json").write_text(json.dumps({"debug": False}))
EOF
RUN <<EOF
apk add curl
curl -fsSL https://downloads.example.com/x.sh | sh
EOF
COPY . .
CMD ["python3", "-m", "http.server"]
