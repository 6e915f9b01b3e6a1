# escape=\
FROM python:3.9-slim AS BASE
WORKDIR /app
COPY --chmod=0644 config/ /etc/app/
RUN pip install --no-cache-dir .
CMD python -m app
