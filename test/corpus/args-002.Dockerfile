ARG BUILDPLATFORM
ARG DISTRO=bookworm
ARG BASE_IMAGE
ARG REGISTRY=harbor.internal.example.net
ARG VERSION=0.0.0-dev
FROM $REGISTRY/python:$PYTHON_VERSION AS base
ENV PATH="${APP_HOME}/.venv/bin:${PATH}"
ENV API_KEY=${API_KEY}
ARG SECRET_TOKEN
RUN pip install --index-url https://user:${SECRET_TOKEN}@packages.example.com/simple app
ENV APP_HOME=/srv/app APP_VERSION=${VERSION}
ENV FEATURE_FLAGS=${FLAGS:+--with-$FLAGS}
ENV A=1 B=$A C="${A}-${B}"
WORKDIR ${APP_HOME:-/app}
COPY . $APP_HOME
RUN pip install --no-cache-dir .

FROM base AS test
RUN pip install pytest && pytest -q

FROM base AS final
CMD ["python", "-m", "app"]
