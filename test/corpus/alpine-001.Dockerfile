FROM alpine:3.20
RUN apk upgrade && apk add curl
RUN apk add --no-cache python3 py3-pip && pip3 install --break-system-packages awscli
RUN addgroup -S svc && adduser -S -G svc -u 1000 svc
USER svc
ENTRYPOINT ["/usr/local/bin/entrypoint.sh"]