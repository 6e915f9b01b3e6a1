# syntax=docker/dockerfile:1
FROM python:3.11-slim
WORKDIR /app
ONBUILD RUN python -m compileall /app
ONBUILD RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt
ONBUILD FROM alpine
CMD ["python", "app.py"]
