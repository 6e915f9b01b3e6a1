# syntax=docker/dockerfile:1-labs
# check=skip=StageNameCasing,FromAsCasing
# Dockerfile for the ingest service
FROM python:3.12-slim
WORKDIR /app
ONBUILD RUN pip install --no-cache-dir -r /app/requirements.txt
ONBUILD RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt
CMD ["python", "app.py"]
