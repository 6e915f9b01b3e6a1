# syntax=docker/dockerfile:1.7-labs
FROM python:3.11-slim-bookworm AS build
ADD https://downloads.example.com/uv/0.4.3/install.sh /uv-installer.sh
RUN sh /uv-installer.sh && rm /uv-installer.sh
ENV UV_COMPILE_BYTECODE=1
WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN uv sync --locked --no-install-project --no-cache
COPY . /app
RUN uv sync --locked

# Runtime image
FROM python:3.11-slim-bookworm
RUN adduser --disabled-password --gecos "" --uid 65532 worker
COPY --from=builder /app/.venv /app/.venv
COPY --chown=app:app src /app/src
ENV PATH="/app/.venv/bin:$PATH"
USER worker:worker
WORKDIR /app
CMD ["celery", "-A", "reports", "worker", "--loglevel=info"]
