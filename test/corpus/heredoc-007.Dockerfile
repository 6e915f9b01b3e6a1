# syntax=docker/dockerfile:1.7-labs
# check=error=true
FROM alpine:3.20
WORKDIR /app
RUN <<EOF
apk add curl
curl -fsSL https://downloads.example.com/x.sh | sh
EOF
COPY --chmod=755 <<EOF /usr/local/bin/healthcheck
#!/bin/sh
wget -qO- http://localhost:8080/health
EOF
RUN <<'EOF' bash
set -euo pipefail
for f in /etc/*.conf; do
  echo "$f"
done | sort > /tmp/confs
EOF
RUN <<FILE1 cat > /file1 && <<FILE2 cat > /file2
first file
FILE1
second file
FILE2
COPY . .
CMD ["python3", "-m", "http.server"]
