# syntax=docker/dockerfile:1.7-labs
FROM python:3.9-slim AS builder
ENV POETRY_VERSION=1.6.4 \
    POETRY_NO_INTERACTION=1 \
    POETRY_VIRTUALENVS_IN_PROJECT=1 \
    POETRY_CACHE_DIR=/tmp/poetry_cache
RUN pipx install poetry==1.6.4
WORKDIR /app
COPY pyproject.toml poetry.lock* ./
RUN poetry install --only main
COPY src/ ./src/

FROM python:3.9-slim AS runtime
ENV VIRTUAL_ENV=/app/.venv \
    PATH="/app/.venv/bin:$PATH"
COPY --from=builder /app /app
RUN groupadd --system --gid 1001 svc \
    && useradd --system --uid 1001 --gid svc --no-create-home svc
USER svc
CMD ["python", "manage.py", "runserver", "0.0.0.0:50051"]
