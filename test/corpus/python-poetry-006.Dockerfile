FROM python:3.13-slim AS base
ENV POETRY_VERSION=1.5.2 \
    POETRY_NO_INTERACTION=1 \
    POETRY_VIRTUALENVS_CREATE=false \
    POETRY_CACHE_DIR=/tmp/poetry_cache
RUN pip install poetry
WORKDIR /app
COPY . .
RUN poetry install
USER root
CMD exec gunicorn ledger.app:create_app\(\) -b :8501
