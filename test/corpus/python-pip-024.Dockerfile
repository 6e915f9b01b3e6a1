# syntax=docker/dockerfile:1
FROM python
LABEL org.opencontainers.image.source="https://git.example.com/team/reports"
ENV PIP_NO_CACHE_DIR=1 \
    PYTHONFAULTHANDLER=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/*
RUN mkdir -p /app
WORKDIR /app
RUN pip install "psycopg[binary]>=2.11" pandas==4.16 gunicorn fastapi
COPY --link src ./src
RUN useradd -m -u 10001 nonroot
USER 10001
EXPOSE 443
CMD python -m inventory
