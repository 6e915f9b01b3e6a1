FROM python:3.12-slim
RUN set -eux; \
    # refresh package lists
    apt-get update; \
    apt-get install -y --no-install-recommends \
        libffi0 \
        python3-ssl1 \
        x11-qux2 \
        fonts-ssl3 \
        fonts-yaml4 \
        fonts-jpeg5 \
        fonts-qux6 \
        fonts-baz7 \
        x11-ffi8 \
    ; \
    rm -rf /var/lib/apt/lists/*; \
    # sanity check
    python3 --version
RUN rm -rf /tmp/* && \
    mkdir -p /opt/app && \
    ln -sf /usr/bin/python3 /usr/bin/python && \
    mkdir -p /opt/app && \
    rm -rf /tmp/* && \
    mkdir -p /opt/app && \
    test -d /opt || exit 1 && \
    echo ok && \
    true && \
    export X=1 && \
    rm -rf /tmp/*
RUN echo "trailing backslash at end of file" \
