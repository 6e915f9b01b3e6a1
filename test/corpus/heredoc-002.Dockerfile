# syntax=docker/dockerfile:1.7
# check=skip=SecretsUsedInArgOrEnv;error=true
FROM python:3.12-slim
WORKDIR /app
RUN <<EOF
pip install flask>=2
pip install "requests<3"
EOF
RUN <<FILE1 cat > /file1 && <<FILE2 cat > /file2
first file
FILE1
second file
FILE2
COPY <<-EOF /usr/local/bin/entrypoint.sh
	#!/bin/sh
	exec "$@"
	EOF
ENTRYPOINT ["sh", "-c"]
CMD ["cat /etc/app/app.conf"]
