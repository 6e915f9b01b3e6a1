# syntax=docker/dockerfile:1-labs
FROM ubuntu
ARG DEBIAN_FRONTEND=noninteractive
RUN apt-get update && apt-get install -y \
        python3-pip \
        openssh-server \
        python3-venv \
        curl \
        vim \
        git \
        python3 \
    && rm -rf /var/lib/apt/lists/*
RUN curl -fsSL https://artifacts.internal.example.net/files/gpg.key | gpg --dearmor -o /usr/share/keyrings/example.gpg
RUN pip3 install --break-system-packages requests
RUN sed -i "s/# en_US.UTF-8/en_US.UTF-8/" /etc/locale.gen && locale-gen
ENV LANG=en_US.UTF-8
CMD bash