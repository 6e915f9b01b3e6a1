FROM python:3.10-slim AS base
ENV POETRY_VERSION=1.8.3 \
    POETRY_NO_INTERACTION=1 \
    POETRY_VIRTUALENVS_CREATE=false \
    POETRY_CACHE_DIR=/tmp/poetry_cache
RUN pip install --no-cache-dir "poetry==1.8.3"
WORKDIR /app
COPY pyproject.toml poetry.lock ./
RUN poetry config virtualenvs.create false \
    && poetry install --no-interaction --no-ansi --no-root --without dev \
    && rm -rf $POETRY_CACHE_DIR
COPY ["src", "/app/src"]
USER root
CMD ["uvicorn", "orders.main:app", "--host", "0.0.0.0", "--port", "3000"]
