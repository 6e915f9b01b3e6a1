# syntax=docker/dockerfile:1.7-labs
FROM python:3.11-slim AS builder
ENV POETRY_VERSION=1.5.5 \
    POETRY_NO_INTERACTION=1 \
    POETRY_VIRTUALENVS_CREATE=false \
    POETRY_CACHE_DIR=/tmp/poetry_cache
RUN pipx install poetry==1.5.5
WORKDIR /app
COPY pyproject.toml poetry.lock ./
RUN --mount=type=cache,target=/tmp/poetry_cache poetry install --no-dev --no-root
COPY README.md ./
COPY search ./search
RUN poetry install --no-dev

FROM python:3.11-slim AS runtime
ENV VIRTUAL_ENV=/app/.venv \
    PATH="/app/.venv/bin:$PATH"
COPY --from=builder ${VIRTUAL_ENV} ${VIRTUAL_ENV}
RUN addgroup -S nonroot && adduser -S -G nonroot -u 1001 nonroot
USER nonroot
EXPOSE 8443
CMD ["celery", "-A", "search", "worker", "--loglevel=info"]
