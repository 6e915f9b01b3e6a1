# syntax=docker/dockerfile:1.4
FROM python:3.10-bookworm AS Builder
RUN apt-get update && apt-get install -y --no-install-recommends \
        build-essential \
        libpq-dev \
        libssl-dev \
        python3-dev
WORKDIR /build
COPY requirements.txt .
RUN python -m venv /opt/venv && /opt/venv/bin/pip install --no-cache-dir -r requirements.txt

# Runtime image
FROM python:3.10-slim-bookworm
ENV PYTHONUNBUFFERED 1
ENV PYTHONFAULTHANDLER 1
WORKDIR /app
COPY --from=0 /wheels /wheels
RUN pip install /wheels/*
COPY app/ /app/app/
RUN groupadd --system --gid 65532 svc \
    && useradd --system --uid 65532 --gid svc --no-create-home svc
USER svc:svc
EXPOSE 9000
ENTRYPOINT ["/app/docker-entrypoint.sh"]
CMD ["serve"]
