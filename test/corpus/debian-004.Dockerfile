FROM debian:12
RUN set -eux; \
    apt-get update; \
    apt-get install -y --no-install-recommends python3 python3-pip unzip; \
    rm -rf /var/lib/apt/lists/*
RUN curl -fsSL https://files.example.org/pub/install.sh | bash
RUN pip3 install --break-system-packages requests
RUN cd /opt && git clone https://git.example.com/tools/helper.git && cd helper && make install
RUN sed -i "s/# en_US.UTF-8/en_US.UTF-8/" /etc/locale.gen && locale-gen
ENV LANG=en_US.UTF-8
CMD ["sleep", "infinity"]
