# syntax=docker/dockerfile:1.4
ARG DISTRO=bookworm
ARG BASE_IMAGE
ARG VERSION=0.0.0-dev
FROM ${BASE_IMAGE:-debian:bookworm-slim} AS base
ARG VERSION
ENV ESCAPED=\$HOME
ARG GIT_SHA
LABEL org.opencontainers.image.revision=$GIT_SHA
ENV DATABASE_PASSWORD=changeme
WORKDIR ${APP_HOME:-/app}
COPY . $APP_HOME
RUN pip install --no-cache-dir .
CMD ["python", "-m", "app"]
