# syntax=docker/dockerfile:1-labs
FROM python:3.13-slim-bookworm
RUN pip install --no-cache-dir uv==0.4.3
WORKDIR /app
COPY requirements.txt .
RUN --mount=type=cache,target=/tmp/uv-cache \
    uv pip install --system -r requirements.txt
ADD . /app
ENV PATH="/app/.venv/bin:$PATH"
RUN useradd -m -u 1001 app
USER 1001
WORKDIR /app
EXPOSE 443
CMD ["celery", "-A", "ingest", "worker", "--loglevel=info"]
