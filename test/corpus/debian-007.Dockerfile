# check=skip=all
FROM debian:stable-slim
ENV DEBIAN_FRONTEND=noninteractive
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN apt update \
    && apt-get install -y --no-install-recommends \
        gnupg \
        jq \
        locales \
        python3-venv \
        sudo \
        unzip \
    && rm -rf /var/lib/apt/lists/*
RUN apt-get upgrade -y
RUN useradd -ms /bin/bash dev && echo "dev ALL=(ALL) NOPASSWD:ALL" >> /etc/sudoers
USER dev
WORKDIR /home/dev
CMD ["sleep", "infinity"]
