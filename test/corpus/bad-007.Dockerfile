FROM python
RUN rm -rf / --no-preserve-root || true
RUN cd /app && make
VOLUME ["/data"]
RUN sudo apt-get install -y vim
RUN --mount=type=tmpfs,target=/tmp make
ENV SECRET_KEY=supersecret
SHELL ["/bin/sh", "-c"]
RUN cat /etc/os-release | grep ID
ARG PASSWORD=hunter2
COPY --from=nonexistent /x /x
RUN gem install rails
COPY *.py /app
