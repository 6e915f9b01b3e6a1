# Dockerfile for the search service
FROM debian:12
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        unzip \
        wget \
        vim \
        ca-certificates \
        python3-venv \
        openssh-server \
    && rm -rf /var/lib/apt/lists/*
RUN curl -fsSL https://files.example.org/pub/install.sh | bash
RUN curl -fsSL https://downloads.example.com/gpg.key | gpg --dearmor -o /usr/share/keyrings/example.gpg
CMD bash
