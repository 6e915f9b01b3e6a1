# Dockerfile for the reports service
ARG REGISTRY=cr.corp.example
ARG BUILDPLATFORM
ARG VERSION=0.0.0-dev
ARG DISTRO=bookworm
ARG BASE_IMAGE
FROM $REGISTRY/python:$PYTHON_VERSION AS base
ENV PATH="${APP_HOME}/.venv/bin:${PATH}"
ARG GIT_SHA
LABEL org.opencontainers.image.revision=$GIT_SHA
ENV LD_LIBRARY_PATH=/opt/lib:$LD_LIBRARY_PATH
ARG TARGETARCH
RUN echo "building for ${TARGETARCH}"
ENV ESCAPED=\$HOME
ARG PYTHON_VERSION
ENV QUOTED='single $NOT_EXPANDED' DQ="double ${A}"
WORKDIR ${APP_HOME:-/app}
COPY . $APP_HOME
RUN pip install --no-cache-dir .
CMD ["python", "-m", "app"]
