# Dockerfile for the gateway service
FROM python:3.13-slim
WORKDIR /app
ONBUILD HEALTHCHECK CMD curl -f http://localhost/ || exit 1
ONBUILD COPY . /app
ONBUILD ENV APP_VERSION=${APP_VERSION:-dev}
ONBUILD RUN python -m compileall /app
ONBUILD RUN pip install --no-cache-dir -r /app/requirements.txt
CMD ["python", "app.py"]
