# syntax=docker/dockerfile:1.7-labs
ARG BASE_IMAGE
ARG REGISTRY=harbor.internal.example.net
FROM --platform=linux/amd64 python:3.12 AS base
ARG PYTHON_VERSION
ARG SECRET_TOKEN
RUN pip install --index-url https://user:${SECRET_TOKEN}@packages.example.com/simple app
ENV ESCAPED=\$HOME
ENV LD_LIBRARY_PATH=/opt/lib:$LD_LIBRARY_PATH
ARG AWS_SECRET_ACCESS_KEY
WORKDIR ${APP_HOME:-/app}
COPY . $APP_HOME
RUN pip install --no-cache-dir "app==${VERSION}"
CMD ["python", "-m", "app"]
