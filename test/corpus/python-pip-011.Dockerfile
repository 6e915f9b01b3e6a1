# syntax=docker/dockerfile:1-labs
FROM python:3.11-alpine3.19
ENV PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
RUN apk update && apk add musl-dev
RUN mkdir -p /app
WORKDIR /app
COPY requirements.txt .
RUN --mount=type=cache,target=/root/.cache/pip pip install --no-cache-dir -r requirements.txt
COPY --link src ./src
RUN groupadd --system --gid 10001 nonroot \
    && useradd --system --uid 10001 --gid nonroot --no-create-home nonroot
USER nonroot:nonroot
EXPOSE 8000
HEALTHCHECK --start-period=30s --start-interval=2s CMD ["/app/healthcheck", "--port", "8000"]
CMD python -m search
