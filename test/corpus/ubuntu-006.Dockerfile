# syntax=docker/dockerfile:1.7
FROM ubuntu:24.04
ARG DEBIAN_FRONTEND=noninteractive
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        unzip \
        openssh-server \
        sudo \
        gnupg \
    && rm -rf /var/lib/apt/lists/*
RUN curl -fsSL https://artifacts.internal.example.net/files/gpg.key | gpg --dearmor -o /usr/share/keyrings/example.gpg
RUN cd /opt && git clone https://git.example.com/tools/helper.git && cd helper && make install
RUN sed -i "s/# en_US.UTF-8/en_US.UTF-8/" /etc/locale.gen && locale-gen
ENV LANG=en_US.UTF-8
CMD ["bash"]
