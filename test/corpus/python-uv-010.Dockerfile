# syntax=docker/dockerfile:1-labs
FROM python:3.13-slim-bookworm AS deps
ADD https://downloads.example.com/uv/0.4.9/install.sh /uv-installer.sh
RUN sh /uv-installer.sh && rm /uv-installer.sh
ENV UV_LINK_MODE=copy \
    UV_COMPILE_BYTECODE=1
WORKDIR /app
RUN --mount=type=cache,target=/root/.cache/uv \
 --mount=type=bind,source=uv.lock,target=uv.lock \
 --mount=type=bind,source=pyproject.toml,target=pyproject.toml \
 uv sync --locked --no-install-project --no-dev
COPY . /app
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --locked --no-dev

# Dependencies first so the layer is cached when only the code changes
FROM python:3.13-slim-bookworm
RUN set -eux; \
    apt-get update; \
    apt-get install -y --no-install-recommends ca-certificates libpq5; \
    rm -rf /var/lib/apt/lists/*
RUN adduser --disabled-password --gecos "" --uid 10001 nonroot
COPY --from=builder /app/.venv /app/.venv
COPY --chown=app:app src /app/src
ENV PATH="/app/.venv/bin:$PATH"
USER nonroot
WORKDIR /app
CMD ["gunicorn", "--bind", "0.0.0.0:8501", "--workers", "3", "ledger.wsgi:application"]
