# syntax=docker/dockerfile:1-labs
# Container image for the search service
FROM python:3.12-slim
WORKDIR /app
ONBUILD ARG APP_VERSION
ONBUILD HEALTHCHECK CMD curl -f http://localhost/ || exit 1
CMD ["python", "app.py"]
