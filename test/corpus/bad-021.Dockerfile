FROM ubuntu:latest
ONBUILD RUN echo built
USER root
RUN shutdown -h now
RUN --mount=type=ssh git clone git@git.example.com:team/repo.git
run echo lowercase

FROM builder AS second
FROM second
RUN echo done
