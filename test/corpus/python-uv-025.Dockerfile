FROM python:3.13-slim-bookworm AS deps
RUN curl -LsSf https://artifacts.internal.example.net/files/uv/install.sh | sh
ENV UV_LINK_MODE=copy \
    UV_COMPILE_BYTECODE=1 \
    UV_PROJECT_ENVIRONMENT=/opt/venv
WORKDIR /app
RUN --mount=type=cache,target=/home/app/.cache/uv \
 --mount=type=bind,source=uv.lock,target=uv.lock \
 --mount=type=bind,source=pyproject.toml,target=pyproject.toml \
 uv sync --frozen --no-install-project --only-group=prod
COPY . /app
RUN --mount=type=cache,target=/home/app/.cache/uv \
    uv sync --frozen --only-group=prod

# hadolint ignore=DL3008
FROM python:3.13-slim-bookworm
RUN set -eux; \
    apt-get update; \
    apt-get install -y --no-install-recommends libxml2 netcat-openbsd; \
    rm -rf /var/lib/apt/lists/*
RUN adduser --disabled-password --gecos "" --uid 65532 app
COPY --from=builder --chown=app:app /app/.venv /app/.venv
COPY --chown=app:app . /app/src
ENV PATH="/app/.venv/bin:$PATH"
USER app:app
WORKDIR /app
ENTRYPOINT ["python", "-m", "ingest"]
CMD ["--port", "50051"]
