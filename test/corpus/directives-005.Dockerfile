# Syntax = docker/dockerfile:1.6
# check = skip=all
# escape=\
# syntax=docker/dockerfile:1.5

# escape=`
FROM python:3.12-slim AS BASE
WORKDIR /app
COPY --chmod=0644 config/ /etc/app/
RUN pip install --no-cache-dir .
ENTRYPOINT python -m app
