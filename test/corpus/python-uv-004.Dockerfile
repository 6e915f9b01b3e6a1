FROM python:3.13-slim AS builder
ADD https://artifacts.internal.example.net/files/uv/0.6.4/install.sh /uv-installer.sh
RUN sh /uv-installer.sh && rm /uv-installer.sh
ENV UV_COMPILE_BYTECODE=1
WORKDIR /app
RUN --mount=type=cache,target=/root/.cache/uv \
 --mount=type=bind,source=uv.lock,target=uv.lock \
 --mount=type=bind,source=pyproject.toml,target=pyproject.toml \
 uv sync --frozen --no-install-project --no-dev
COPY . /app
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev

# Non-root user for runtime
FROM python:3.13-slim-bookworm
RUN apt-get update \
    && apt-get install -y --no-install-recommends netcat-openbsd tini libjpeg62-turbo \
    && rm -rf /var/lib/apt/lists/*
RUN useradd -m -u 1000 worker
COPY --from=builder --chown=app:app /app/.venv /app/.venv
COPY --chown=app:app . /app/
ENV PATH="/app/.venv/bin:$PATH"
USER worker:worker
WORKDIR /app
EXPOSE 9000
CMD python -m orders
