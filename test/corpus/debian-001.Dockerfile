FROM debian:stable-slim
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN apt-get update \
    && apt-get install -y --no-install-recommends sudo locales wget \
    && rm -rf /var/lib/apt/lists/*
RUN curl -fsSL https://files.example.org/pub/install.sh | bash
RUN useradd -ms /bin/bash dev && echo "dev ALL=(ALL) NOPASSWD:ALL" >> /etc/sudoers
USER dev
WORKDIR /home/dev
CMD ["sleep", "infinity"]
