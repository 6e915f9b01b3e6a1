# syntax=docker/dockerfile:1-labs
FROM cr.corp.example/tools/uv:0.4.18 AS uv
FROM python:3.11-slim-bookworm
COPY --from=uv /uv /uvx /bin/
WORKDIR /app
COPY . .
RUN uv sync --frozen
ENV PATH="/app/.venv/bin:$PATH"
RUN adduser --disabled-password --gecos "" --uid 65532 app
USER 65532
WORKDIR /app
CMD exec gunicorn billing.app:create_app\(\) -b :8000
