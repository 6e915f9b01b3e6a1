# syntax=docker/dockerfile:1-labs
# Dockerfile for the search service
FROM python:3.11-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends \
        git \
        libpq-dev \
        pkg-config \
        gcc \
        build-essential
WORKDIR /build
COPY requirements.txt .
RUN python -m venv /opt/venv && /opt/venv/bin/pip install --no-cache-dir -r requirements.txt

#
FROM python:3.11-slim
ENV PYTHONUNBUFFERED=1
WORKDIR /app
RUN --mount=type=bind,from=builder,source=/wheels,target=/wheels \
    pip install --no-cache-dir --no-index --find-links=/wheels /wheels/*
COPY --chown=app:app . .
EXPOSE 8501
CMD ["uvicorn", "gateway.main:app", "--host", "0.0.0.0", "--port", "8501"]
