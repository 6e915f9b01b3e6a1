# syntax=docker/dockerfile:1-labs
# check=skip=SecretsUsedInArgOrEnv;error=true
FROM ubuntu:24.04
RUN set -eux; \
    apt-get update; \
    apt-get install -y --no-install-recommends vim jq; \
    rm -rf /var/lib/apt/lists/*
RUN apt-get upgrade -y
RUN curl -fsSL https://downloads.example.com/install.sh | bash
RUN curl -fsSL https://downloads.example.com/gpg.key | gpg --dearmor -o /usr/share/keyrings/example.gpg
RUN cd /opt && git clone https://git.example.com/tools/helper.git && cd helper && make install
RUN useradd -ms /bin/bash dev && echo "dev ALL=(ALL) NOPASSWD:ALL" >> /etc/sudoers
USER dev
WORKDIR /home/dev
CMD bash
