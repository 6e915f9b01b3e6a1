FROM scratch
COPY data/ /data/
LABEL org.opencontainers.image.description="model weights only"
VOLUME ["/data"]