FROM alpine:3.19.1
RUN apk upgrade && apk add curl
RUN addgroup -S app && adduser -S -G app -u 1001 app
USER app
CMD /bin/sh -c "crond -f"
