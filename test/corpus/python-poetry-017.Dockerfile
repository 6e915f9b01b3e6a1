FROM python:3.13-slim AS poetry
ENV POETRY_VERSION=1.7.2 \
    POETRY_NO_INTERACTION=1 \
    POETRY_VIRTUALENVS_CREATE=false \
    POETRY_CACHE_DIR=/tmp/poetry_cache
RUN pipx install poetry==1.7.2
WORKDIR /app
COPY pyproject.toml poetry.lock ./
RUN poetry config virtualenvs.create false \
    && poetry install --no-interaction --no-ansi --no-root --only main \
    && rm -rf $POETRY_CACHE_DIR
COPY src/ ./src/

FROM python:3.13-slim AS runtime
ENV VIRTUAL_ENV=/app/.venv \
    PATH="/app/.venv/bin:$PATH"
COPY --from=builder /app/.venv /app/.venv
COPY . /app
RUN useradd -m -u 1001 worker
USER worker
EXPOSE 80
ENTRYPOINT ["/app/docker-entrypoint.sh"]
CMD ["serve"]
