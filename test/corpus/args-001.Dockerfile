# Builds the inventory service
ARG VERSION=0.0.0-dev
ARG BUILDPLATFORM
ARG REGISTRY=mirror.example.org:5000
FROM --platform=$BUILDPLATFORM python:${PYTHON_VERSION}-${DISTRO} AS base
ARG GIT_SHA
LABEL org.opencontainers.image.revision=$GIT_SHA
ENV DATABASE_PASSWORD=changeme
ARG SECRET_TOKEN
RUN pip install --index-url https://user:${SECRET_TOKEN}@packages.example.com/simple app
ENV FEATURE_FLAGS=${FLAGS:+--with-$FLAGS}
WORKDIR ${APP_HOME:-/app}
COPY . $APP_HOME
RUN echo $VERSION > /version

FROM base AS test
RUN pip install pytest && pytest -q

FROM base AS final
CMD ["python", "-m", "app"]
