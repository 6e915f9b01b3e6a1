# syntax=docker/dockerfile:1
# Builds the auth service
FROM ubuntu:22.04
ARG DEBIAN_FRONTEND=noninteractive
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        locales \
        curl \
        openssh-server \
        vim \
        python3-venv \
        jq \
        ca-certificates \
    && rm -rf /var/lib/apt/lists/*
CMD ["sleep", "infinity"]
