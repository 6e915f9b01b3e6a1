# syntax=docker/dockerfile:1.7
FROM python:3.9-slim-bookworm AS deps
RUN pip install --no-cache-dir uv==0.6.13
ENV UV_PYTHON_DOWNLOADS=0
WORKDIR /app
RUN uv venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
COPY requirements.txt .
RUN uv pip install -r requirements.txt
COPY --chown=app:app . .

# Non-root user for runtime
FROM python:3.9-slim-bookworm
RUN --mount=type=cache,target=/var/cache/apt,sharing=locked \
    --mount=type=cache,target=/var/lib/apt,sharing=locked \
    rm -f /etc/apt/apt.conf.d/docker-clean \
    && apt-get update \
    && apt-get install -y --no-install-recommends \
        ca-certificates \
        curl \
        locales \
        git
RUN groupadd --system --gid 1000 nonroot \
    && useradd --system --uid 1000 --gid nonroot --no-create-home nonroot
COPY --from=builder /app/.venv /app/.venv
COPY --chown=app:app src /app/
ENV PATH="/app/.venv/bin:$PATH"
USER nonroot
WORKDIR /app
EXPOSE 9000
CMD ["gunicorn", "--bind", "0.0.0.0:9000", "--workers", "4", "notifier.wsgi:application"]
