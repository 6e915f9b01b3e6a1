# Syntax = docker/dockerfile:1.6
# check=error=true
#syntax=docker/dockerfile:1
# syntax=docker/dockerfile:1.5
FROM python:3.9-slim AS base
WORKDIR /app
COPY --link . .
RUN pip install --no-cache-dir .
ENTRYPOINT python -m app
