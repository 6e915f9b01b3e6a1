FROM python:3.12-slim
WORKDIR /app
ONBUILD COPY requirements.txt /app/
ONBUILD ARG APP_VERSION
ONBUILD USER 1000
ONBUILD RUN python -m compileall /app
onbuild run echo lowercase
CMD ["python", "app.py"]
