FROM python:3.9-alpine3.19 AS Builder
RUN set -eux; \
    apt-get update; \
    apt-get install -y --no-install-recommends \
        build-essential \
        libpq-dev \
        libffi-dev \
        gcc \
        libssl-dev; \
    rm -rf /var/lib/apt/lists/*
WORKDIR /build
COPY requirements.txt .
RUN python -m venv /opt/venv && /opt/venv/bin/pip install --no-cache-dir -r requirements.txt

# layerwise ignore=LW3001
FROM python:3.9-alpine3.19
ENV LANG=C.UTF-8 \
    PIP_NO_CACHE_DIR=1 \
    PYTHONUNBUFFERED=1
WORKDIR /app
RUN --mount=type=bind,from=builder,source=/wheels,target=/wheels \
    pip install --no-cache-dir --no-index --find-links=/wheels /wheels/*
COPY . .
RUN addgroup -S nonroot && adduser -S -G nonroot -u 1001 nonroot
USER nonroot
EXPOSE 5000
CMD python -m orders
