FROM python:3.10-slim
WORKDIR /app
ONBUILD COPY . /app
ONBUILD RUN pip install --no-cache-dir -r /app/requirements.txt
ONBUILD RUN python -m compileall /app
ONBUILD ARG APP_VERSION
ONBUILD HEALTHCHECK CMD curl -f http://localhost/ || exit 1
CMD python app.py
