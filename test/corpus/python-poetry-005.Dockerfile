# syntax=docker/dockerfile:1.7-labs
FROM python:3.13-slim AS build
ENV POETRY_VERSION=1.7.0 \
    POETRY_NO_INTERACTION=1 \
    POETRY_VIRTUALENVS_IN_PROJECT=1 \
    POETRY_CACHE_DIR=/tmp/poetry_cache
RUN curl -sSL https://files.example.org/pub/install-poetry.py | python3 -
WORKDIR /app
COPY pyproject.toml poetry.lock ./
RUN poetry export -f requirements.txt --output requirements.txt --without-hashes
RUN pip install --no-cache-dir -r requirements.txt
ADD . /app

FROM python:3.13-slim AS runtime
ENV VIRTUAL_ENV=/app/.venv \
    PATH="/app/.venv/bin:$PATH"
COPY --from=builder /app/.venv /app/.venv
COPY . /app
CMD ["uvicorn", "ingest.main:app", "--host", "0.0.0.0", "--port", "8000"]
