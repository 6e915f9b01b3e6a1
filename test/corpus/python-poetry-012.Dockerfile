# syntax=docker/dockerfile:1.7
# Builds the billing service
FROM python:3.11-slim AS poetry
ENV POETRY_VERSION=1.5.4 \
    POETRY_NO_INTERACTION=1 \
    POETRY_VIRTUALENVS_CREATE=false \
    POETRY_CACHE_DIR=/tmp/poetry_cache
RUN pip install poetry
WORKDIR /app
COPY pyproject.toml poetry.lock ./
RUN poetry config virtualenvs.create false \
    && poetry install --no-interaction --no-ansi --no-root --no-dev \
    && rm -rf $POETRY_CACHE_DIR
COPY app/ /app/app/

FROM python:3.11-slim AS runtime
ENV VIRTUAL_ENV=/app/.venv \
    PATH="/app/.venv/bin:$PATH"
COPY --from=builder /app /app
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --no-create-home app
USER app:app
ENTRYPOINT ["python", "-m", "search"]
CMD ["--port", "8000"]
