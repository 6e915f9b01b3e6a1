# check=skip=SecretsUsedInArgOrEnv;error=true
FROM ubuntu:24.04
ARG DEBIAN_FRONTEND=noninteractive
RUN apt-get update && apt-get install -y --no-install-recommends \
        wget \
        sudo \
        ca-certificates \
        curl \
        locales \
        openssh-server
RUN apt-get upgrade -y
RUN useradd -ms /bin/bash dev && echo "dev ALL=(ALL) NOPASSWD:ALL" >> /etc/sudoers
USER dev
WORKDIR /home/dev
CMD ["bash"]
