# syntax=docker/dockerfile:1-labs
ARG VERSION=0.0.0-dev
ARG BUILDPLATFORM
ARG BASE_IMAGE
ARG PYTHON_VERSION=3.13
FROM --platform=linux/amd64 python:3.12 AS base
ENV API_KEY=${API_KEY}
ARG SECRET_TOKEN
RUN pip install --index-url https://user:${SECRET_TOKEN}@packages.example.com/simple app
ENV FEATURE_FLAGS=${FLAGS:+--with-$FLAGS}
WORKDIR ${APP_HOME:-/app}
COPY . $APP_HOME
RUN pip install --no-cache-dir .

FROM base AS test
RUN pip install pytest && pytest -q

FROM base AS final
CMD ["python", "-m", "app"]
