# Container image for the ingest service
FROM busybox:1.36-musl AS prep
RUN mkdir -p /rootfs/tmp /rootfs/etc && echo "nobody:x:65534:65534:nobody:/:/sbin/nologin" > /rootfs/etc/passwd

FROM scratch
COPY --from=prep /rootfs /
COPY bin/app /app
USER 65534
ENTRYPOINT ["/app"]
