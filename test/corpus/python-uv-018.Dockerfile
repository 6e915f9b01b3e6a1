# syntax=docker/dockerfile:1-labs
# check=error=true
FROM python:3.12-slim-bookworm AS builder
ADD https://artifacts.internal.example.net/files/uv/0.5.0/install.sh /uv-installer.sh
RUN sh /uv-installer.sh && rm /uv-installer.sh
WORKDIR /app
COPY pyproject.toml .
RUN uv pip install --system -r pyproject.toml
COPY . /app

#
FROM python:3.12-slim
RUN useradd -m -u 65532 appuser
COPY --from=builder --chown=app:app /app/.venv /app/.venv
COPY --chown=app:app src /app/src
ENV PATH="/app/.venv/bin:$PATH"
USER 65532:65532
WORKDIR /app
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "--workers", "8", "inventory.wsgi:application"]
