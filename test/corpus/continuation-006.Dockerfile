FROM python:3.12-slim
RUN set -eux; \
    # refresh package lists
    apt-get update; \
    apt-get install -y --no-install-recommends \
        x11-ssl0 \
        python3-ffi1 \
        libssl2 \
        x11-ssl3 \
        # runtime only
        python3-baz4 \
        x11-png5 \
        x11-qux6 \
        python3-png7 \
        python3-baz8 \
        python3-jpeg9 \
        fonts-bar10 \
        libssl11 \
        python3-xml12 \
        libpng13 \
        x11-xml14 \
        # needed by the image renderer
        python3-foo15 \
        fonts-xml16 \
        libxml17 \
        libffi18 \
        libffi19 \
        # needed by the image renderer
        python3-png20 \
        x11-foo21 \
        fonts-xml22 \
    ; \
    rm -rf /var/lib/apt/lists/*; \
    # sanity check
    python3 --version
RUN test -d /opt || exit 1 ; \
    echo ok ; \
    rm -rf /tmp/* ; \
    ln -sf /usr/bin/python3 /usr/bin/python ; \
    rm -rf /tmp/* ; \
    chmod 755 /opt/app ; \
    echo ok ; \
    cd /opt && ls ; \
    test -d /opt || exit 1 ; \
    rm -rf /tmp/* ; \
    export X=1 ; \
    ln -sf /usr/bin/python3 /usr/bin/python ; \
    rm -rf /tmp/* ; \
    ln -sf /usr/bin/python3 /usr/bin/python ; \
    rm -rf /tmp/* ; \
    export X=1 ; \
    mkdir -p /opt/app ; \
    echo ok ; \
    export X=1 ; \
    test -d /opt || exit 1 ; \
    test -d /opt || exit 1 ; \
    test -d /opt || exit 1 ; \
    chmod 755 /opt/app ; \
    true
RUN echo one
RUN echo two
RUN echo three
RUN echo "trailing backslash at end of file" \
