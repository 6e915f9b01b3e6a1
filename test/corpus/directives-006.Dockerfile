# check=error=true
# syntax=docker/dockerfile:1.5
FROM python:3.13-slim AS Base
WORKDIR /app
COPY --chmod=0644 config/ /etc/app/
RUN pip install --no-cache-dir .
CMD python -m app
