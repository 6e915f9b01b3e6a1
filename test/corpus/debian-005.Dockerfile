# syntax=docker/dockerfile:1-labs
FROM debian
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        python3-pip \
        ca-certificates \
        wget \
        curl \
        locales \
        gnupg \
        unzip \
    && rm -rf /var/lib/apt/lists/*
RUN apt-get upgrade -y
RUN pip3 install --break-system-packages requests
RUN cd /opt && git clone https://git.example.com/tools/helper.git && cd helper && make install
CMD bash
