FROM alpine:latest
RUN apk upgrade && apk add curl
COPY entrypoint.sh /usr/local/bin/
RUN addgroup -S worker && adduser -S -G worker -u 65532 worker
USER worker
ENTRYPOINT ["/usr/local/bin/entrypoint.sh"]
