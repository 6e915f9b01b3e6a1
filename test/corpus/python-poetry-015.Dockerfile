# syntax=docker/dockerfile:1
FROM python:3.11-slim AS builder
ENV POETRY_VERSION=1.5.2 \
    POETRY_NO_INTERACTION=1 \
    POETRY_VIRTUALENVS_CREATE=false \
    POETRY_CACHE_DIR=/tmp/poetry_cache
RUN curl -sSL https://files.example.org/pub/install-poetry.py | python3 -
WORKDIR /app
COPY . .
RUN poetry install --no-dev

FROM python:3.11-slim AS runtime
ENV VIRTUAL_ENV=/app/.venv \
    PATH="/app/.venv/bin:$PATH"
COPY --from=builder /app/.venv /app/.venv
COPY . /app
RUN addgroup -S appuser && adduser -S -G appuser -u 65532 appuser
USER appuser
EXPOSE 443
CMD ["gunicorn", "--bind", "0.0.0.0:443", "--workers", "6", "auth.wsgi:application"]
