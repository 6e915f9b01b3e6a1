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
RUN cat <<EOF > /etc/motd
Welcome to $HOSTNAME
EOF
RUN <<"END"
echo "$NOT_EXPANDED"
END
CMD ["/usr/local/bin/entrypoint.sh"]
