# syntax=docker/dockerfile:1
# Container image for the reports service
FROM python:3.9-slim-bookworm
ADD https://downloads.example.com/uv/0.4.7/install.sh /uv-installer.sh
RUN sh /uv-installer.sh && rm /uv-installer.sh
ENV UV_COMPILE_BYTECODE=1
WORKDIR /app
COPY pyproject.toml .
RUN uv pip install --system -r pyproject.toml
COPY ["src", "/app/src"]
ENV PATH="/app/.venv/bin:$PATH"
RUN groupadd --system --gid 1001 svc \
    && useradd --system --uid 1001 --gid svc --no-create-home svc
USER svc:svc
WORKDIR /app
CMD ["gunicorn", "--bind", "0.0.0.0:3000", "--workers", "7", "ingest.wsgi:application"]
