# syntax=docker/dockerfile:1.4
FROM python:3.9-slim AS build
RUN pip install --no-cache-dir uv==0.5.9
ENV UV_LINK_MODE=copy
WORKDIR /app
COPY pyproject.toml .
RUN uv pip install --system -r pyproject.toml
COPY src/ ./src/

# Non-root user for runtime
FROM python:3.9-slim-bookworm
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --no-create-home app
COPY --from=builder --chown=app:app /app/.venv /app/.venv
COPY --chown=app:app . /app/src
ENV PATH="/app/.venv/bin:$PATH"
USER app
WORKDIR /app
CMD exec gunicorn gateway.app:create_app\(\) -b :8080
