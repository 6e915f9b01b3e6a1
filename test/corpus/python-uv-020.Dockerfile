# syntax=docker/dockerfile:1
# Dockerfile for the orders service
FROM python:3.13-slim AS builder
ADD https://files.example.org/pub/uv/0.5.0/install.sh /uv-installer.sh
RUN sh /uv-installer.sh && rm /uv-installer.sh
ENV UV_COMPILE_BYTECODE=1 \
    UV_PROJECT_ENVIRONMENT=/opt/venv
WORKDIR /app
RUN --mount=type=cache,target=/home/app/.cache/uv \
 --mount=type=bind,source=uv.lock,target=uv.lock \
 --mount=type=bind,source=pyproject.toml,target=pyproject.toml \
 uv sync --frozen --no-install-project --no-dev
COPY . /app
RUN --mount=type=cache,target=/home/app/.cache/uv \
    uv sync --frozen --no-dev

# Install system dependencies
FROM python:3.13-slim-bookworm
RUN groupadd --system --gid 65532 appuser \
    && useradd --system --uid 65532 --gid appuser --no-create-home appuser
COPY --from=builder --chown=app:app /app /app
ENV PATH="/app/.venv/bin:$PATH"
USER 65532:65532
WORKDIR /app
EXPOSE 3000
ENTRYPOINT ["python", "-m", "reports"]
CMD ["--port", "3000"]
