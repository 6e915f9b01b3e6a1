# syntax=docker/dockerfile:1
FROM python:3.10-slim AS base
ENV POETRY_VERSION=1.5.2 \
    POETRY_NO_INTERACTION=1 \
    POETRY_VIRTUALENVS_CREATE=false \
    POETRY_CACHE_DIR=/tmp/poetry_cache
RUN pip install poetry
WORKDIR /app
COPY pyproject.toml poetry.lock ./
RUN poetry export -f requirements.txt --output requirements.txt --without-hashes
RUN pip install --no-cache-dir -r requirements.txt
COPY --link src ./src
RUN useradd -m -u 10001 svc
USER 10001:10001
EXPOSE 9000
CMD ["python", "manage.py", "runserver", "0.0.0.0:9000"]
