# syntax=docker/dockerfile:1
# Builds the ingest service
FROM python:3.10-slim AS builder
RUN curl -LsSf https://artifacts.internal.example.net/files/uv/install.sh | sh
ENV UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=0 \
    UV_PROJECT_ENVIRONMENT=/opt/venv
WORKDIR /app
RUN uv venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
COPY requirements.txt .
RUN uv pip install -r requirements.txt
COPY . /app

# ---------------------------------------------------------------------------
FROM python:3.10-slim
RUN groupadd --system --gid 1001 app \
    && useradd --system --uid 1001 --gid app --no-create-home app
COPY --from=builder --chown=app:app /app/.venv /app/.venv
COPY --chown=app:app . /app/
ENV PATH="/app/.venv/bin:$PATH"
USER app:app
WORKDIR /app
EXPOSE 8000
CMD ["celery", "-A", "auth", "worker", "--loglevel=info"]
