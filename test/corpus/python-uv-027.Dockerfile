# syntax=docker/dockerfile:1.7
FROM python:3.13-slim AS deps
RUN pip install --no-cache-dir uv==0.5.10
ENV UV_LINK_MODE=copy
WORKDIR /app
COPY . .
RUN uv sync

# hadolint ignore=DL3008
FROM python:3.13-slim
RUN --mount=type=cache,target=/var/cache/apt,sharing=locked \
    --mount=type=cache,target=/var/lib/apt,sharing=locked \
    rm -f /etc/apt/apt.conf.d/docker-clean \
    && apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates
RUN groupadd --system --gid 10001 appuser \
    && useradd --system --uid 10001 --gid appuser --no-create-home appuser
COPY --from=builder --chown=app:app /app/.venv /app/.venv
COPY --chown=app:app src /app/src
ENV PATH="/app/.venv/bin:$PATH"
USER appuser:appuser
WORKDIR /app
EXPOSE 8080
ENTRYPOINT ["/app/docker-entrypoint.sh"]
CMD ["serve"]
