FROM debian:bookworm-slim
RUN set -eux; \
    # refresh package lists
    apt-get update; \
    apt-get install -y --no-install-recommends \
        python3-yaml0 \
        fonts-jpeg1 \
        python3-ssl2 \
        fonts-baz3 \
        fonts-xml4 \
        python3-baz5 \
        libpng6 \
        # needed by the image renderer
        libqux7 \
        python3-ffi8 \
    ; \
    rm -rf /var/lib/apt/lists/*; \
    # sanity check
    python3 --version
RUN rm -rf /tmp/* \
 # comment in the middle
    && ln -sf /usr/bin/python3 /usr/bin/python \
 # comment in the middle
    && echo ok \
 # comment in the middle
    && true \
 # comment in the middle
    && cd /opt && ls \
 # comment in the middle
    && chmod 755 /opt/app \
 # comment in the middle
    && cd /opt && ls \
 # comment in the middle
    && true
CMD ["bash"]
