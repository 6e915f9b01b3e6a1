# Builds the billing service
FROM python:3.10-bookworm AS build
RUN apt-get update && apt-get install -y libpq-dev python3-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /build
COPY requirements.txt .
RUN pip wheel --no-cache-dir --wheel-dir /wheels -r requirements.txt

#
FROM python:3.10-slim-bookworm
ENV PIP_NO_CACHE_DIR=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONFAULTHANDLER=1
WORKDIR /app
COPY --from=builder /opt/venv /opt/venv
ENV PATH="/opt/venv/bin:$PATH"
COPY src/ ./src/
USER root
EXPOSE 8501
HEALTHCHECK NONE
CMD ["python", "manage.py", "runserver", "0.0.0.0:8501"]
