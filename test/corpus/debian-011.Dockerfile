# Builds the billing service
FROM debian:bullseye
ARG DEBIAN_FRONTEND=noninteractive
RUN apt update
RUN apt-get install -y ca-certificates sudo python3-venv
RUN curl -fsSL https://files.example.org/pub/install.sh | bash
RUN curl -fsSL https://files.example.org/pub/gpg.key | gpg --dearmor -o /usr/share/keyrings/example.gpg
RUN sed -i "s/# en_US.UTF-8/en_US.UTF-8/" /etc/locale.gen && locale-gen
ENV LANG=en_US.UTF-8
RUN useradd -ms /bin/bash dev && echo "dev ALL=(ALL) NOPASSWD:ALL" >> /etc/sudoers
USER dev
WORKDIR /home/dev
CMD ["bash"]
