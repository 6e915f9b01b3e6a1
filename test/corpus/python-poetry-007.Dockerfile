FROM python:3.13-slim AS base
ENV POETRY_VERSION=1.5.4 \
    POETRY_NO_INTERACTION=1 \
    POETRY_VIRTUALENVS_CREATE=false \
    POETRY_CACHE_DIR=/tmp/poetry_cache
RUN pip install --no-cache-dir "poetry==1.5.4"
WORKDIR /app
COPY pyproject.toml poetry.lock ./
RUN poetry config virtualenvs.create false \
    && poetry install --no-interaction --no-ansi --no-root --only=main --sync \
    && rm -rf $POETRY_CACHE_DIR
ADD . /app
EXPOSE 8000
ENTRYPOINT ["/app/docker-entrypoint.sh"]
CMD ["serve"]
