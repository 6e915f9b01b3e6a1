# syntax=docker/dockerfile:1-labs
# Builds the billing service
FROM python:3.9-slim-bookworm
ENV LANG C.UTF-8
WORKDIR /app
COPY requirements.lock ./
RUN pip install --no-cache-dir --require-hashes -r requirements.lock
COPY --chown=app:app . .
RUN addgroup -S nonroot && adduser -S -G nonroot -u 1001 nonroot
USER nonroot
CMD ["celery", "-A", "inventory", "worker", "--loglevel=info"]
