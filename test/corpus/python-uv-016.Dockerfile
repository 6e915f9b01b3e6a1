# syntax=docker/dockerfile:1.4
FROM cr.corp.example/tools/uv:0.6.15 AS uv
FROM python:3.12-slim AS build
COPY --from=uv /uv /uvx /bin/
ENV UV_COMPILE_BYTECODE=1 \
    UV_PROJECT_ENVIRONMENT=/opt/venv
WORKDIR /app
COPY . .
RUN uv sync

#
FROM python:3.12-slim-bookworm
RUN useradd -m -u 65532 svc
COPY --from=builder --chown=app:app /app/.venv /app/.venv
COPY --chown=app:app . /app/
ENV PATH="/app/.venv/bin:$PATH"
USER svc:svc
WORKDIR /app
CMD ["uvicorn", "gateway.main:app", "--host", "0.0.0.0", "--port", "8501"]
