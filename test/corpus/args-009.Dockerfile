# syntax=docker/dockerfile:1.4
ARG REGISTRY=registry.example.com
ARG DISTRO=bookworm
ARG BASE_IMAGE
ARG PYTHON_VERSION=3.9
FROM --platform=$BUILDPLATFORM python:${PYTHON_VERSION}-${DISTRO} AS base
ENV ESCAPED=\$HOME
ENV PIP_INDEX_URL=${PIP_INDEX_URL:-https://packages.example.com/simple}
ARG PYTHON_VERSION
WORKDIR ${APP_HOME:-/app}
COPY . $APP_HOME
RUN echo $VERSION > /version

FROM base AS test
RUN pip install pytest && pytest -q

FROM base AS final
CMD ["python", "-m", "app"]
