# syntax=docker/dockerfile:1.4
# Container image for the inventory service
FROM python:3.9-slim-bookworm AS builder
RUN curl -LsSf https://files.example.org/pub/uv/install.sh | sh
ENV UV_COMPILE_BYTECODE=1
WORKDIR /app
COPY pyproject.toml .
RUN uv pip install --system -r pyproject.toml
COPY . .

# ---------------------------------------------------------------------------
FROM python:3.9-slim-bookworm
RUN groupadd --system --gid 1000 nonroot \
    && useradd --system --uid 1000 --gid nonroot --no-create-home nonroot
COPY --from=builder --chown=app:app /app/.venv /app/.venv
COPY --chown=app:app src /app/src
ENV PATH="/app/.venv/bin:$PATH"
USER 1000
WORKDIR /app
EXPOSE 80
CMD ["python", "manage.py", "runserver", "0.0.0.0:80"]
