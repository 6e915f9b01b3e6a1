# syntax=docker/dockerfile:1-labs
# Dockerfile for the search service
FROM debian:bullseye
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        python3-pip \
        ca-certificates \
        python3 \
        curl \
        jq \
    && rm -rf /var/lib/apt/lists/*
RUN apt-get upgrade -y
RUN curl -fsSL https://files.example.org/pub/install.sh | bash
RUN python3 -m venv /opt/venv && /opt/venv/bin/pip install requests
RUN cd /opt && git clone https://git.example.com/tools/helper.git && cd helper && make install
RUN useradd -ms /bin/bash dev && echo "dev ALL=(ALL) NOPASSWD:ALL" >> /etc/sudoers
USER dev
WORKDIR /home/dev
CMD bash
