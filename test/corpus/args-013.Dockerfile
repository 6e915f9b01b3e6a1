# syntax=docker/dockerfile:1.4
ARG BASE_IMAGE
ARG PYTHON_VERSION=3.13
ARG VERSION=0.0.0-dev
ARG REGISTRY=mirror.example.org:5000
ARG DISTRO=bookworm
FROM --platform=$BUILDPLATFORM python:${PYTHON_VERSION}-${DISTRO} AS base
ENV API_KEY=${API_KEY}
ARG SECRET_TOKEN
RUN pip install --index-url https://user:${SECRET_TOKEN}@packages.example.com/simple app
ENV LD_LIBRARY_PATH=/opt/lib:$LD_LIBRARY_PATH
ENV PIP_INDEX_URL=${PIP_INDEX_URL:-https://packages.example.com/simple}
WORKDIR ${APP_HOME:-/app}
COPY . $APP_HOME
RUN pip install --no-cache-dir .

FROM base AS test
RUN pip install pytest && pytest -q

FROM base AS final
CMD ["python", "-m", "app"]
