# syntax=docker/dockerfile:1-labs
FROM alpine:3.19.1
RUN apk add --no-cache --virtual .build-deps jq tzdata curl bash openssh-client \
    && make -C /src install \
    && apk del .build-deps
RUN apk add --no-cache python3 py3-pip && pip3 install --break-system-packages awscli
RUN wget -O /usr/local/bin/tool https://downloads.example.com/tool/v1.5.8/tool-linux-amd64 \
    && chmod +x /usr/local/bin/tool
RUN addgroup -S appuser && adduser -S -G appuser -u 1001 appuser
USER appuser
ENTRYPOINT ["/usr/local/bin/entrypoint.sh"]
