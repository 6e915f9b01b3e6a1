# syntax=docker/dockerfile:1.7-labs
# Container image for the ingest service
ARG DISTRO=bookworm
ARG BASE_IMAGE
ARG PYTHON_VERSION=3.10
ARG BUILDPLATFORM
FROM $REGISTRY/python:$PYTHON_VERSION AS base
ENV PATH="${APP_HOME}/.venv/bin:${PATH}"
ARG SECRET_TOKEN
RUN pip install --index-url https://user:${SECRET_TOKEN}@packages.example.com/simple app
ENV FEATURE_FLAGS=${FLAGS:+--with-$FLAGS}
ENV QUOTED='single $NOT_EXPANDED' DQ="double ${A}"
ARG AWS_SECRET_ACCESS_KEY
WORKDIR ${APP_HOME:-/app}
COPY . $APP_HOME
RUN pip install --no-cache-dir .
CMD ["python", "-m", "app"]
