# syntax=docker/dockerfile:1.7-labs
FROM python:3.11-slim AS base
ENV UV_LINK_MODE=copy UV_COMPILE_BYTECODE=1
RUN pip install --no-cache-dir uv
WORKDIR /repo
COPY pyproject.toml uv.lock ./
COPY services/api/pyproject.toml services/api/
COPY services/admin/pyproject.toml services/admin/
RUN --mount=type=cache,target=/root/.cache/uv uv sync --frozen --no-install-workspace --all-packages
COPY . .

FROM base AS api
RUN --mount=type=cache,target=/root/.cache/uv uv sync --frozen --package api --no-dev
CMD ["uv", "run", "--package", "api", "python", "-m", "api"]

FROM base AS admin
RUN --mount=type=cache,target=/root/.cache/uv uv sync --frozen --package admin --no-dev
CMD ["uv", "run", "--package", "admin", "python", "-m", "admin"]
