# Builds the ledger service
ARG BASE_IMAGE=python:3.10-slim
FROM ${BASE_IMAGE}
LABEL org.opencontainers.image.created=$BUILD_DATE
ENV PYTHONFAULTHANDLER=1
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl libpq5 ca-certificates \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /usr/src/app
COPY requirements.txt .
RUN pip3 install --no-cache-dir -r requirements.txt
COPY app/ /app/app/
RUN addgroup -S app && adduser -S -G app -u 1001 app
USER app
EXPOSE 80
CMD exec gunicorn auth.app:create_app\(\) -b :80
