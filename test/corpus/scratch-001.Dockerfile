# syntax=docker/dockerfile:1-labs
# check=error=true
# Dockerfile for the ingest service
FROM busybox:1.36-musl AS stage0
RUN mkdir -p /rootfs/tmp /rootfs/etc && echo "nobody:x:65534:65534:nobody:/:/sbin/nologin" > /rootfs/etc/passwd

FROM scratch
COPY --from=stage0 /rootfs /
COPY bin/app /app
USER 65534
CMD ["/app", "--listen", ":8080"]
