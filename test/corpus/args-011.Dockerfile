# check=error=true
ARG BASE_IMAGE
ARG VERSION=0.0.0-dev
FROM --platform=linux/amd64 python:3.12 AS base
ENV APP_HOME=/srv/app APP_VERSION=${VERSION}
ARG SECRET_TOKEN
RUN pip install --index-url https://user:${SECRET_TOKEN}@packages.example.com/simple app
ENV ESCAPED=\$HOME
ARG TARGETARCH
RUN echo "building for ${TARGETARCH}"
WORKDIR ${APP_HOME:-/app}
COPY . $APP_HOME
RUN echo $VERSION > /version

FROM base AS test
RUN pip install pytest && pytest -q

FROM base AS final
CMD ["python", "-m", "app"]
