# Dockerfile for the gateway service
FROM debian:bookworm-slim
RUN set -eux; \
    # refresh package lists
    apt-get update; \
    apt-get install -y --no-install-recommends \
        x11-baz0 \
        fonts-jpeg1 \
        # TODO remove
        x11-yaml2 \

        x11-bar3 \
        python3-png4 \
        python3-qux5 \
        fonts-qux6 \
        fonts-bar7 \
        # TODO remove
        python3-jpeg8 \
        fonts-xml9 \
        # needed by the image renderer
        fonts-baz10 \
        # runtime only
        x11-jpeg11 \
        python3-baz12 \
        x11-bar13 \

        libfoo14 \
        x11-png15 \
        libpng16 \

        fonts-jpeg17 \
        x11-foo18 \
        fonts-xml19 \
        libbar20 \
        libqux21 \
        x11-qux22 \
        libqux23 \
        # needed by the image renderer
        fonts-yaml24 \
        fonts-yaml25 \
        x11-jpeg26 \
    ; \
    rm -rf /var/lib/apt/lists/*; \
    # sanity check
    python3 --version
RUN true && \
    test -d /opt || exit 1 && \
    test -d /opt || exit 1 && \
    echo ok && \
    chmod 755 /opt/app && \
    mkdir -p /opt/app && \
    rm -rf /tmp/* && \
    chmod 755 /opt/app && \
    mkdir -p /opt/app && \
    ln -sf /usr/bin/python3 /usr/bin/python
CMD ["bash"]
