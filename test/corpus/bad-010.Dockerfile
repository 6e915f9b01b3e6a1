FROM debian
ENV SECRET_KEY=supersecret
VOLUME /data /logs
RUN --mount=type=ssh git clone git@git.example.com:team/repo.git
RUN ["/bin/bash", "-c", "echo hi"]
ARG PASSWORD=hunter2
RUN apt-get install python3
RUN shutdown -h now
RUN sudo apt-get install -y vim
RUN apt-get update
RUN apt-get install -y curl
VOLUME ["/data"]
FROM builder AS builder
