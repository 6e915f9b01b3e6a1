FROM python:3.11-slim
WORKDIR /app
ONBUILD FROM alpine
ONBUILD RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt
ONBUILD ENV APP_VERSION=${APP_VERSION:-dev}
ONBUILD RUN python -m compileall /app
ONBUILD ARG APP_VERSION
ONBUILD COPY . /app
CMD ["python", "app.py"]
