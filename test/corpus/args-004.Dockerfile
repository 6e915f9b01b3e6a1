ARG REGISTRY=cr.corp.example
ARG BUILDPLATFORM
ARG PYTHON_VERSION=3.11
FROM python:${PYTHON_VERSION:-3.12}-slim AS base
ARG SECRET_TOKEN
RUN pip install --index-url https://user:${SECRET_TOKEN}@packages.example.com/simple app
ENV ESCAPED=\$HOME
ENV QUOTED='single $NOT_EXPANDED' DQ="double ${A}"
ARG GIT_SHA
LABEL org.opencontainers.image.revision=$GIT_SHA
ARG AWS_SECRET_ACCESS_KEY
ENV LD_LIBRARY_PATH=/opt/lib:$LD_LIBRARY_PATH
WORKDIR ${APP_HOME:-/app}
COPY . $APP_HOME
RUN pip install --no-cache-dir .

FROM base AS test
RUN pip install pytest && pytest -q

FROM base AS final
CMD ["python", "-m", "app"]
