# syntax=docker/dockerfile:1.4
# Builds the inventory service
FROM python:3.11-slim AS build
RUN pip install --no-cache-dir uv==0.6.6
ENV UV_LINK_MODE=copy \
    UV_COMPILE_BYTECODE=1
WORKDIR /app
RUN --mount=type=cache,target=/tmp/uv-cache \
 --mount=type=bind,source=uv.lock,target=uv.lock \
 --mount=type=bind,source=pyproject.toml,target=pyproject.toml \
 uv sync --locked --no-install-project --only-group=prod
COPY . /app
RUN --mount=type=cache,target=/tmp/uv-cache \
    uv sync --locked --only-group=prod

# Non-root user for runtime
FROM python:3.11-slim-bookworm
RUN adduser --disabled-password --gecos "" --uid 10001 appuser
COPY --from=builder --chown=app:app /app/.venv /app/.venv
COPY --chown=app:app . /app/src
ENV PATH="/app/.venv/bin:$PATH"
USER appuser:appuser
WORKDIR /app
EXPOSE 8501
ENTRYPOINT ["python", "-m", "ledger"]
CMD ["--port", "8501"]
