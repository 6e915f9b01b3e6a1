# Builds the ingest service
FROM python:3.12-slim
WORKDIR /app
ONBUILD RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt
ONBUILD USER 1000
CMD ["python", "app.py"]
