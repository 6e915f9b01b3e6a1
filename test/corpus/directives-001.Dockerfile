#syntax=docker/dockerfile:1
# check = skip=all

# escape=`
FROM python:3.13-slim AS base
WORKDIR /app
COPY . .
RUN pip install --no-cache-dir .
CMD python -m app
