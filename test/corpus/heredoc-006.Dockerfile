# syntax=docker/dockerfile:1.4
# Container image for the inventory service
FROM alpine:3.20
WORKDIR /app
RUN python3 <<EOF
import json, pathlib
pathlib.Path("/app/config.json").write_text(json.dumps({"debug": False}))
EOF
COPY <<-EOF /usr/local/bin/entrypoint.sh
	#!/bin/sh
	exec "$@"
	EOF
COPY . .
CMD ["/usr/local/bin/entrypoint.sh"]
