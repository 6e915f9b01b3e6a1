# syntax=docker/dockerfile:1
# Dockerfile for the gateway service
FROM python:3.9-slim-bookworm
ENV PYTHONFAULTHANDLER=1
RUN apt-get update && apt-get install -y tini netcat-openbsd libssl-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR app
COPY requirements.txt .
RUN --mount=type=cache,target=/root/.cache/pip pip install --no-cache-dir -r requirements.txt
COPY app/ /app/app/
COPY requirements-dev.txt .
RUN pip install --no-cache-dir -r requirements-dev.txt
RUN addgroup -S app && adduser -S -G app -u 1000 app
USER app
EXPOSE 8000
HEALTHCHECK NONE
CMD ["uvicorn", "inventory.main:app", "--host", "0.0.0.0", "--port", "8000"]
