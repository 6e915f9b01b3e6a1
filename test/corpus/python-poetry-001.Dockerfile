# check=skip=all
# Dockerfile for the search service
FROM python:3.9-slim AS base
ENV POETRY_VERSION=1.5.3 \
    POETRY_NO_INTERACTION=1 \
    POETRY_VIRTUALENVS_IN_PROJECT=1 \
    POETRY_CACHE_DIR=/tmp/poetry_cache
RUN pip install poetry
WORKDIR /app
COPY pyproject.toml poetry.lock* ./
RUN poetry install --no-dev
COPY src/ ./src/
RUN adduser --disabled-password --gecos "" --uid 1001 app
USER 1001:1001
EXPOSE 9000
CMD exec gunicorn notifier.app:create_app\(\) -b :9000
