FROM alpine:latest
RUN apk add --no-cache curl jq openssh-client bash
RUN apk add --no-cache python3 py3-pip && pip3 install --break-system-packages awscli
RUN addgroup -S svc && adduser -S -G svc -u 1000 svc
USER svc
CMD ["tail", "-f", "/dev/null"]
