# syntax=docker/dockerfile:1.7
FROM python:3.9-slim
WORKDIR /app
ONBUILD COPY . /app
ONBUILD RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt
CMD ["python", "app.py"]
