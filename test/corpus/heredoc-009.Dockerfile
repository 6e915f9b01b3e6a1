# syntax=docker/dockerfile:1.7-labs
FROM debian:bookworm-slim
WORKDIR /app
RUN <<"END"
echo "$NOT_EXPANDED"
END
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
COPY . .
ENTRYPOINT ["sh", "-c"]
CMD ["cat /etc/app/app.conf"]
