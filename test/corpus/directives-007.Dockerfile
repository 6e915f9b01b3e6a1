# escape=\
FROM python:3.11-slim AS BASE
WORKDIR /app
COPY . .
RUN pip install --no-cache-dir .
CMD python -m app
