# Container image for the reports service
FROM python:3.9-slim AS poetry
ENV POETRY_VERSION=1.7.4 \
    POETRY_NO_INTERACTION=1 \
    POETRY_VIRTUALENVS_IN_PROJECT=1 \
    POETRY_CACHE_DIR=/tmp/poetry_cache
RUN pip install --no-cache-dir "poetry==1.7.4"
WORKDIR /app
COPY pyproject.toml poetry.lock ./
RUN poetry export -f requirements.txt --output requirements.txt --without-hashes
RUN pip install --no-cache-dir -r requirements.txt
COPY ["src", "/app/src"]

FROM python:3.9-slim AS runtime
ENV VIRTUAL_ENV=/app/.venv \
    PATH="/app/.venv/bin:$PATH"
COPY --from=builder ${VIRTUAL_ENV} ${VIRTUAL_ENV}
RUN addgroup -S appuser && adduser -S -G appuser -u 65532 appuser
USER appuser
EXPOSE 9000
CMD ["python", "manage.py", "runserver", "0.0.0.0:9000"]
