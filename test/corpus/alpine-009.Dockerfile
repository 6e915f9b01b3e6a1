# syntax=docker/dockerfile:1.7
FROM alpine:3
RUN apk add --no-cache py3-pip python3
RUN wget -O /usr/local/bin/tool https://files.example.org/pub/tool/v1.8.11/tool-linux-amd64 \
    && chmod +x /usr/local/bin/tool
RUN addgroup -S appuser && adduser -S -G appuser -u 1001 appuser
USER appuser
CMD /bin/sh -c "crond -f"
