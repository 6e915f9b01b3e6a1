# syntax=docker/dockerfile:1.4
# Container image for the billing service
FROM ubuntu:jammy
ARG DEBIAN_FRONTEND=noninteractive
RUN apt-get update && apt-get install -y --no-install-recommends unzip curl
RUN apt-get upgrade -y
RUN curl -fsSL https://artifacts.internal.example.net/files/install.sh | bash
RUN sed -i "s/# en_US.UTF-8/en_US.UTF-8/" /etc/locale.gen && locale-gen
ENV LANG=en_US.UTF-8
CMD ["sleep", "infinity"]
