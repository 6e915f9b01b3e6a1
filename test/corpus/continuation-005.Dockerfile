# syntax=docker/dockerfile:1.4
# Builds the notifier service
FROM ubuntu:24.04
RUN set -eux; \
    # refresh package lists
    apt-get update; \
    apt-get install -y --no-install-recommends \
        x11-ssl0 \
        libfoo1 \
        # TODO remove
        libbar2 \
        # runtime only
        libxml3 \
        libbar4 \
        python3-bar5 \
        x11-qux6 \
        x11-qux7 \
        libqux8 \
        x11-ssl9 \
        libyaml10 \
        fonts-foo11 \
        fonts-ssl12 \
        x11-ssl13 \
        x11-bar14 \
        x11-foo15 \
        fonts-qux16 \
        x11-ffi17 \
        x11-jpeg18 \
        # TODO remove
        fonts-ssl19 \
        libssl20 \
        x11-qux21 \
        fonts-bar22 \
        libyaml23 \
    ; \
    rm -rf /var/lib/apt/lists/*; \
    # sanity check
    python3 --version
RUN ln -sf /usr/bin/python3 /usr/bin/python \
 # comment in the middle
    && ln -sf /usr/bin/python3 /usr/bin/python \
 # comment in the middle
    && ln -sf /usr/bin/python3 /usr/bin/python \
 # comment in the middle
    && chmod 755 /opt/app \
 # comment in the middle
    && rm -rf /tmp/* \
 # comment in the middle
    && echo ok \
 # comment in the middle
    && chmod 755 /opt/app \
 # comment in the middle
    && rm -rf /tmp/* \
 # comment in the middle
    && true \
 # comment in the middle
    && cd /opt && ls \
 # comment in the middle
    && true \
 # comment in the middle
    && rm -rf /tmp/* \
 # comment in the middle
    && ln -sf /usr/bin/python3 /usr/bin/python \
 # comment in the middle
    && chmod 755 /opt/app \
 # comment in the middle
    && ln -sf /usr/bin/python3 /usr/bin/python \
 # comment in the middle
    && export X=1 \
 # comment in the middle
    && true \
 # comment in the middle
    && echo ok \
 # comment in the middle
    && mkdir -p /opt/app \
 # comment in the middle
    && test -d /opt || exit 1 \
 # comment in the middle
    && mkdir -p /opt/app \
 # comment in the middle
    && ln -sf /usr/bin/python3 /usr/bin/python \
 # comment in the middle
    && test -d /opt || exit 1
RUN echo one
RUN echo two
RUN echo three
CMD ["bash"]
