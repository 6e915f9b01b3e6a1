#syntax=docker/dockerfile:1

# escape=`
FROM python:3.13-slim AS BASE
WORKDIR /app
COPY --link . .
RUN pip install --no-cache-dir .
ENTRYPOINT python -m app
