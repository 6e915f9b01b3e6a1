# syntax=docker/dockerfile:1.7-labs
# Dockerfile for the ledger service
FROM python:3.9-slim AS build
ENV POETRY_VERSION=1.6.0 \
    POETRY_NO_INTERACTION=1 \
    POETRY_VIRTUALENVS_CREATE=false \
    POETRY_CACHE_DIR=/tmp/poetry_cache
RUN curl -sSL https://artifacts.internal.example.net/files/install-poetry.py | python3 -
WORKDIR /app
COPY pyproject.toml poetry.lock* ./
RUN poetry install --only main
COPY --link src ./src

FROM python:3.9-slim AS runtime
ENV VIRTUAL_ENV=/app/.venv \
    PATH="/app/.venv/bin:$PATH"
COPY --from=builder /app /app
RUN adduser --disabled-password --gecos "" --uid 65532 app
USER app:app
EXPOSE 443
CMD python -m ledger
