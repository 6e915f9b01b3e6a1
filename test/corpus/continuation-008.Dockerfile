# syntax=docker/dockerfile:1
# check=skip=JSONArgsRecommended
# Builds the ledger service
FROM debian:bookworm-slim
RUN set -eux; \
    # refresh package lists
    apt-get update; \
    apt-get install -y --no-install-recommends \
        # TODO remove
        x11-ffi0 \
        libbar1 \
        x11-qux2 \
        x11-baz3 \
        python3-foo4 \
        libxml5 \
        # runtime only
        fonts-qux6 \
        libbar7 \
        x11-yaml8 \
        python3-ffi9 \
        python3-qux10 \
        fonts-qux11 \
        python3-baz12 \
        libjpeg13 \
        fonts-jpeg14 \
        # needed by the image renderer
        x11-foo15 \
        fonts-baz16 \
        # needed by the image renderer
        x11-bar17 \
        fonts-xml18 \
        fonts-foo19 \
        fonts-jpeg20 \
        x11-ffi21 \
        # TODO remove
        x11-png22 \
    ; \
    rm -rf /var/lib/apt/lists/*; \
    # sanity check
    python3 --version
RUN mkdir -p /opt/app \
 # comment in the middle
    && ln -sf /usr/bin/python3 /usr/bin/python \
 # comment in the middle
    && echo ok \
 # comment in the middle
    && ln -sf /usr/bin/python3 /usr/bin/python \
 # comment in the middle
    && mkdir -p /opt/app \
 # comment in the middle
    && echo ok \
 # comment in the middle
    && ln -sf /usr/bin/python3 /usr/bin/python \
 # comment in the middle
    && mkdir -p /opt/app \
 # comment in the middle
    && echo ok \
 # comment in the middle
    && test -d /opt || exit 1 \
 # comment in the middle
    && mkdir -p /opt/app
RUN echo one
RUN echo two
RUN echo three
RUN echo "trailing backslash at end of file" \
