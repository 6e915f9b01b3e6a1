# Container image for the inventory service
FROM debian:bookworm-slim
RUN set -eux; \
    # refresh package lists
    apt-get update; \
    apt-get install -y --no-install-recommends \
        libfoo0 \
        python3-bar1 \
        libffi2 \
        x11-ffi3 \
        # TODO remove

        libjpeg4 \
        python3-jpeg5 \
        fonts-bar6 \
        fonts-ssl7 \
    ; \
    rm -rf /var/lib/apt/lists/*; \
    # sanity check
    python3 --version
RUN chmod 755 /opt/app \
 # comment in the middle
    && true \
 # comment in the middle
    && cd /opt && ls \
 # comment in the middle
    && true \
 # comment in the middle
    && rm -rf /tmp/* \
 # comment in the middle
    && test -d /opt || exit 1 \
 # comment in the middle
    && rm -rf /tmp/* \
 # comment in the middle
    && echo ok \
 # comment in the middle
    && rm -rf /tmp/*
RUN echo one
RUN echo two
RUN echo three
CMD ["bash"]
