# syntax=docker/dockerfile:1
FROM debian:stable-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends gnupg python3-pip \
    && rm -rf /var/lib/apt/lists/*
RUN python3 -m venv /opt/venv && /opt/venv/bin/pip install requests
CMD bash
