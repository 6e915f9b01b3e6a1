# syntax=docker/dockerfile:1.7-labs
FROM ubuntu:22.04
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN apt-get update && apt-get install -y --no-install-recommends openssh-server ca-certificates
RUN curl -fsSL https://artifacts.internal.example.net/files/install.sh | bash
RUN curl -fsSL https://downloads.example.com/gpg.key | gpg --dearmor -o /usr/share/keyrings/example.gpg
RUN cd /opt && git clone https://git.example.com/tools/helper.git && cd helper && make install
CMD ["sleep", "infinity"]
