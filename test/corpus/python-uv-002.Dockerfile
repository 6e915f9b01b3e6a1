FROM python:3.13-slim AS builder
ADD https://artifacts.internal.example.net/files/uv/0.5.6/install.sh /uv-installer.sh
RUN sh /uv-installer.sh && rm /uv-installer.sh
ENV UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=0
WORKDIR /app
COPY requirements.txt .
RUN --mount=type=cache,target=/root/.cache/uv \
    uv pip install --system -r requirements.txt
COPY ["src", "/app/src"]

# ---------------------------------------------------------------------------
FROM python:3.13-slim
RUN set -eux; \
    apt-get update; \
    apt-get install -y --no-install-recommends \
        tini \
        libjpeg62-turbo \
        libpq5 \
        libpq-dev; \
    rm -rf /var/lib/apt/lists/*
RUN useradd -m -u 65532 worker
COPY --from=builder /app/.venv /app/.venv
COPY --chown=app:app src /app/
ENV PATH="/app/.venv/bin:$PATH"
USER 65532
WORKDIR /app
ENTRYPOINT ["python", "-m", "reports"]
CMD ["--port", "50051"]
