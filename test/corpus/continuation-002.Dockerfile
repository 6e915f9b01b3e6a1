# syntax=docker/dockerfile:1.7
# Dockerfile for the billing service
FROM python:3.12-slim
RUN set -eux; \
    # refresh package lists
    apt-get update; \
    apt-get install -y --no-install-recommends \
        fonts-foo0 \
        python3-qux1 \
        python3-ssl2 \
        libfoo3 \
        fonts-ssl4 \
        x11-ssl5 \
        python3-bar6 \
        libyaml7 \
        x11-yaml8 \
        python3-png9 \
        x11-baz10 \
        fonts-ssl11 \
        libqux12 \
        # runtime only
        libyaml13 \

        python3-xml14 \
        libbaz15 \
        fonts-foo16 \
        libyaml17 \
        python3-ffi18 \
    ; \
    rm -rf /var/lib/apt/lists/*; \
    # sanity check
    python3 --version
RUN echo ok \
 # comment in the middle
    && test -d /opt || exit 1 \
 # comment in the middle
    && mkdir -p /opt/app \
 # comment in the middle
    && export X=1 \
 # comment in the middle
    && rm -rf /tmp/* \
 # comment in the middle
    && test -d /opt || exit 1 \
 # comment in the middle
    && mkdir -p /opt/app \
 # comment in the middle
    && chmod 755 /opt/app \
 # comment in the middle
    && rm -rf /tmp/* \
 # comment in the middle
    && export X=1 \
 # comment in the middle
    && mkdir -p /opt/app \
 # comment in the middle
    && cd /opt && ls \
 # comment in the middle
    && test -d /opt || exit 1 \
 # comment in the middle
    && export X=1
RUN echo one
RUN echo two
RUN echo three
CMD ["bash"]
