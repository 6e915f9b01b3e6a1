# syntax=docker/dockerfile:1.4
# Dockerfile for the ingest service
FROM alpine:edge
RUN apk upgrade && apk add curl
RUN wget -O /usr/local/bin/tool https://artifacts.internal.example.net/files/tool/v1.9.4/tool-linux-amd64 \
    && chmod +x /usr/local/bin/tool
COPY scripts/run.sh /usr/local/bin/
RUN addgroup -S appuser && adduser -S -G appuser -u 10001 appuser
USER appuser
CMD /bin/sh -c "crond -f"
