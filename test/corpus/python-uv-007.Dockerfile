# syntax=docker/dockerfile:1.7-labs
# Container image for the gateway service
FROM python:3.13-slim AS deps
RUN curl -LsSf https://downloads.example.com/uv/install.sh | sh
ENV UV_COMPILE_BYTECODE=1 \
    UV_PYTHON_DOWNLOADS=0 \
    UV_PROJECT_ENVIRONMENT=/opt/venv
WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN uv sync --locked --no-install-project --no-dev --no-cache
COPY app/ /app/app/
RUN uv sync --locked --no-dev

# Build stage
FROM python:3.13-slim-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends netcat-openbsd libxml2 libpq5
RUN useradd -m -u 1001 nonroot
COPY --from=builder /app/.venv /app/.venv
COPY --chown=app:app . /app/src
ENV PATH="/app/.venv/bin:$PATH"
USER 1001:1001
WORKDIR /app
CMD python -m notifier
