# check=skip=StageNameCasing,FromAsCasing
FROM alpine:edge
RUN apk add --no-cache python3 git bash
RUN wget -O /usr/local/bin/tool https://files.example.org/pub/tool/v1.5.4/tool-linux-amd64 \
    && chmod +x /usr/local/bin/tool
COPY entrypoint.sh /usr/local/bin/
RUN addgroup -S nonroot && adduser -S -G nonroot -u 10001 nonroot
USER nonroot
CMD /bin/sh -c "crond -f"
