# syntax=docker/dockerfile:1.7
# check=skip=all
FROM python:3.10-slim AS base
ENV UV_LINK_MODE=copy UV_COMPILE_BYTECODE=1
RUN pip install --no-cache-dir uv
WORKDIR /repo
COPY pyproject.toml uv.lock ./
COPY services/admin/pyproject.toml services/admin/
COPY services/web/pyproject.toml services/web/
RUN --mount=type=cache,target=/root/.cache/uv uv sync --frozen --no-install-workspace --all-packages
COPY . .

FROM base AS admin
RUN --mount=type=cache,target=/root/.cache/uv uv sync --frozen --package admin --no-dev
CMD ["uv", "run", "--package", "admin", "python", "-m", "admin"]

FROM base AS web
RUN --mount=type=cache,target=/root/.cache/uv uv sync --frozen --package web --no-dev
CMD ["uv", "run", "--package", "web", "python", "-m", "web"]
