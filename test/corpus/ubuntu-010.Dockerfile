# syntax=docker/dockerfile:1-labs
FROM ubuntu:24.04
RUN set -eux; \
    apt-get update; \
    apt-get install -y --no-install-recommends \
        openssh-server \
        unzip \
        gnupg \
        jq; \
    rm -rf /var/lib/apt/lists/*
RUN apt-get upgrade -y
RUN curl -fsSL https://files.example.org/pub/install.sh | bash
RUN useradd -ms /bin/bash dev && echo "dev ALL=(ALL) NOPASSWD:ALL" >> /etc/sudoers
USER dev
WORKDIR /home/dev
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["/opt/run.sh"]
