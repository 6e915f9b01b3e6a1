# syntax=docker/dockerfile:1-labs
FROM alpine:latest
RUN apk upgrade && apk add curl
RUN wget -O /usr/local/bin/tool https://files.example.org/pub/tool/v1.7.6/tool-linux-amd64 \
    && chmod +x /usr/local/bin/tool
RUN addgroup -S appuser && adduser -S -G appuser -u 65532 appuser
USER appuser
CMD /bin/sh -c "crond -f"
