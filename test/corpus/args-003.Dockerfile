# Dockerfile for the auth service
ARG PYTHON_VERSION=3.10
ARG VERSION=0.0.0-dev
ARG BUILDPLATFORM
ARG REGISTRY=mirror.example.org:5000
FROM python:${PYTHON_VERSION:-3.12}-slim AS base
ENV QUOTED='single $NOT_EXPANDED' DQ="double ${A}"
ENV API_KEY=${API_KEY}
ARG GIT_SHA
LABEL org.opencontainers.image.revision=$GIT_SHA
WORKDIR ${APP_HOME:-/app}
COPY . $APP_HOME
RUN pip install --no-cache-dir "app==${VERSION}"

FROM base AS test
RUN pip install pytest && pytest -q

FROM base AS final
CMD ["python", "-m", "app"]
