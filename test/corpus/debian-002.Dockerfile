# syntax=docker/dockerfile:1
FROM debian
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN apt update \
    && apt-get install -y --no-install-recommends \
        git \
        python3 \
        sudo \
        ca-certificates \
        vim \
    && rm -rf /var/lib/apt/lists/*
RUN curl -fsSL https://downloads.example.com/install.sh | bash
RUN cd /opt && git clone https://git.example.com/tools/helper.git && cd helper && make install
RUN sed -i "s/# en_US.UTF-8/en_US.UTF-8/" /etc/locale.gen && locale-gen
ENV LANG=en_US.UTF-8
RUN useradd -ms /bin/bash dev && echo "dev ALL=(ALL) NOPASSWD:ALL" >> /etc/sudoers
USER dev
WORKDIR /home/dev
CMD bash
