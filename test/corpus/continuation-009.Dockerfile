FROM ubuntu:24.04
RUN set -eux; \
    # refresh package lists
    apt-get update; \
    apt-get install -y --no-install-recommends \
        python3-xml0 \
        fonts-qux1 \
        python3-foo2 \
        fonts-foo3 \
        python3-foo4 \
        python3-png5 \
        libxml6 \
        # needed by the image renderer
        python3-jpeg7 \

        python3-baz8 \
        libbaz9 \
        libffi10 \
        fonts-ssl11 \
        x11-baz12 \
        libbaz13 \
        python3-ssl14 \
        python3-foo15 \
        libjpeg16 \
        python3-qux17 \
        python3-xml18 \
        libffi19 \
        x11-xml20 \
        x11-qux21 \
        x11-foo22 \
        libyaml23 \
        fonts-ffi24 \
        fonts-foo25 \
        libyaml26 \
        x11-foo27 \
    ; \
    rm -rf /var/lib/apt/lists/*; \
    # sanity check
    python3 --version
RUN ln -sf /usr/bin/python3 /usr/bin/python && \
    mkdir -p /opt/app && \
    true && \
    true && \
    export X=1 && \
    export X=1 && \
    test -d /opt || exit 1 && \
    export X=1 && \
    true && \
    test -d /opt || exit 1 && \
    rm -rf /tmp/*
RUN echo one
RUN echo two
RUN echo three
RUN echo "trailing backslash at end of file" \
