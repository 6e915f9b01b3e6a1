FROM python:latest AS builder
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpq-dev \
        build-essential \
        libssl-dev \
        pkg-config \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /build
COPY requirements.txt .
RUN pip wheel --no-cache-dir --wheel-dir /wheels -r requirements.txt

# Dependencies first so the layer is cached when only the code changes
FROM python:latest
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY --from=0 /wheels /wheels
RUN pip install /wheels/*
COPY . /app
RUN python -m compileall -q .
EXPOSE 8080
HEALTHCHECK --start-period=30s --start-interval=2s CMD ["/app/healthcheck", "--port", "8080"]
CMD ["uvicorn", "ingest.main:app", "--host", "0.0.0.0", "--port", "8080"]
