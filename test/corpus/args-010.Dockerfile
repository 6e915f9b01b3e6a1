# Container image for the billing service
ARG BASE_IMAGE
ARG DISTRO=bookworm
ARG BUILDPLATFORM
FROM $REGISTRY/python:$PYTHON_VERSION AS base
ENV API_KEY=${API_KEY}
ENV PIP_INDEX_URL=${PIP_INDEX_URL:-https://packages.example.com/simple}
ARG VERSION
ENV LD_LIBRARY_PATH=/opt/lib:$LD_LIBRARY_PATH
WORKDIR ${APP_HOME:-/app}
COPY . $APP_HOME
RUN pip install --no-cache-dir "app==${VERSION}"

FROM base AS test
RUN pip install pytest && pytest -q

FROM base AS final
CMD ["python", "-m", "app"]
