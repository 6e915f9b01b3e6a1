# syntax=docker/dockerfile:1.4
FROM python:3.11-slim
ENV LANG=C.UTF-8 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    PYTHONFAULTHANDLER=1
WORKDIR /app
COPY constraints.txt ./
RUN pip install --no-cache-dir --require-hashes -r constraints.txt
COPY src/ ./src/
RUN adduser --disabled-password --gecos "" --uid 1000 app
USER app
CMD ["gunicorn", "--bind", "0.0.0.0:8501", "--workers", "3", "billing.wsgi:application"]
