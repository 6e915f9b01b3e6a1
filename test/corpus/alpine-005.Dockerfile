# check=skip=SecretsUsedInArgOrEnv;error=true
FROM alpine:3.19.1
RUN apk upgrade && apk add curl
COPY scripts/run.sh /usr/local/bin/
RUN addgroup -S nonroot && adduser -S -G nonroot -u 10001 nonroot
USER nonroot
CMD /bin/sh -c "crond -f"
