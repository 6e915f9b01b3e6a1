# syntax=docker/dockerfile:1.4
# Builds the inventory service
ARG BASE_IMAGE
ARG REGISTRY=mirror.example.org:5000
ARG VERSION=0.0.0-dev
ARG BUILDPLATFORM
FROM --platform=$BUILDPLATFORM python:${PYTHON_VERSION}-${DISTRO} AS base
ENV APP_HOME=/srv/app APP_VERSION=${VERSION}
ARG GIT_SHA
LABEL org.opencontainers.image.revision=$GIT_SHA
ENV PATH="${APP_HOME}/.venv/bin:${PATH}"
ARG AWS_SECRET_ACCESS_KEY
ENV ESCAPED=\$HOME
ARG VERSION
ENV FEATURE_FLAGS=${FLAGS:+--with-$FLAGS}
WORKDIR ${APP_HOME:-/app}
COPY . $APP_HOME
RUN pip install --no-cache-dir .

FROM base AS test
RUN pip install pytest && pytest -q

FROM base AS final
CMD ["python", "-m", "app"]
