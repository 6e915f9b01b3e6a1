# syntax=docker/dockerfile:1.7
FROM harbor.internal.example.net/tools/uv:0.4.11 AS uv
FROM python:3.13-slim-bookworm
COPY --from=uv /uv /uvx /bin/
ENV UV_PYTHON_DOWNLOADS=0 \
    UV_PROJECT_ENVIRONMENT=/opt/venv
WORKDIR /app
COPY . .
RUN uv sync
ENV PATH="/app/.venv/bin:$PATH"
USER root
WORKDIR /app
CMD ["python", "manage.py", "runserver", "0.0.0.0:80"]
