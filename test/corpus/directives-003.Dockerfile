# syntax=docker/dockerfile:1.7-labs

# escape=`
FROM python:3.10-slim AS base
WORKDIR /app
COPY --parents ./services/*/pyproject.toml /app/
RUN pip install --no-cache-dir .
CMD ["python", "-m", "app"]
