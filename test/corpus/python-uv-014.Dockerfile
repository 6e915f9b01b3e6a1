# syntax=docker/dockerfile:1.7-labs
FROM python:3.12-slim AS deps
RUN curl -LsSf https://files.example.org/pub/uv/install.sh | sh
ENV UV_LINK_MODE=copy
WORKDIR /app
RUN uv venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
COPY requirements.txt .
RUN uv pip install -r requirements.txt
COPY --chown=app:app . .

# NOTE: the CI passes BUILD_DATE and VCS_REF
FROM python:3.12-slim-bookworm
RUN groupadd --system --gid 65532 appuser \
    && useradd --system --uid 65532 --gid appuser --no-create-home appuser
COPY --from=builder /app/.venv /app/.venv
COPY --chown=app:app src /app/
ENV PATH="/app/.venv/bin:$PATH"
USER appuser:appuser
WORKDIR /app
CMD exec gunicorn notifier.app:create_app\(\) -b :8000