# syntax=docker/dockerfile:1.4
FROM python:3.13-slim-bookworm AS deps
ADD https://files.example.org/pub/uv/0.5.0/install.sh /uv-installer.sh
RUN sh /uv-installer.sh && rm /uv-installer.sh
ENV UV_COMPILE_BYTECODE=1
WORKDIR /app
RUN uv venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
COPY requirements.txt .
RUN uv pip install -r requirements.txt
COPY ["src", "/app/src"]

# Non-root user for runtime
FROM python:3.13-slim
RUN groupadd --system --gid 65532 worker \
    && useradd --system --uid 65532 --gid worker --no-create-home worker
COPY --from=builder --chown=app:app /app /app
ENV PATH="/app/.venv/bin:$PATH"
USER 65532
WORKDIR /app
EXPOSE 8080
CMD exec gunicorn gateway.app:create_app\(\) -b :8080
