# Builds the ledger service
FROM alpine:3.20 AS prep
RUN mkdir -p /rootfs/tmp /rootfs/etc && echo "nobody:x:65534:65534:nobody:/:/sbin/nologin" > /rootfs/etc/passwd

FROM scratch
COPY --from=prep /rootfs /
COPY bin/app /app
USER 65534
ENTRYPOINT ["/app"]
