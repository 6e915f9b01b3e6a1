FROM python:3.12-slim AS build
ENV POETRY_VERSION=1.7.3 \
    POETRY_NO_INTERACTION=1 \
    POETRY_VIRTUALENVS_CREATE=false \
    POETRY_CACHE_DIR=/tmp/poetry_cache
RUN pip install poetry
WORKDIR /app
COPY pyproject.toml poetry.lock ./
RUN --mount=type=cache,target=/tmp/poetry_cache poetry install --only=main --sync --no-root
COPY README.md ./
COPY ingest ./ingest
RUN poetry install --only=main --sync

FROM python:3.12-slim AS runtime
ENV VIRTUAL_ENV=/app/.venv \
    PATH="/app/.venv/bin:$PATH"
COPY --from=builder /app/.venv /app/.venv
COPY . /app
CMD ["python", "manage.py", "runserver", "0.0.0.0:80"]
