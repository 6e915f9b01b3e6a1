# syntax=docker/dockerfile:1.4
FROM python:3.11-slim-bookworm
RUN curl -LsSf https://artifacts.internal.example.net/files/uv/install.sh | sh
ENV UV_LINK_MODE=copy \
    UV_COMPILE_BYTECODE=1 \
    UV_PYTHON_DOWNLOADS=0 \
    UV_PROJECT_ENVIRONMENT=/opt/venv
WORKDIR /app
COPY pyproject.toml .
RUN uv pip install --system -r pyproject.toml
COPY . .
ENV PATH="/app/.venv/bin:$PATH"
RUN useradd -m -u 10001 svc
USER 10001:10001
WORKDIR /app
CMD ["uvicorn", "notifier.main:app", "--host", "0.0.0.0", "--port", "5000"]
