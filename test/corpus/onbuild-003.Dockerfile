# syntax=docker/dockerfile:1-labs
FROM python:3.12-slim
WORKDIR /app
onbuild run echo lowercase
ONBUILD USER 1000
ONBUILD HEALTHCHECK CMD curl -f http://localhost/ || exit 1
CMD ["python", "app.py"]
