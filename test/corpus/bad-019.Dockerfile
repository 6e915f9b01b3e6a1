FROM python
RUN npm install express
WORKDIR relative/path
RUN gem install rails
COPY --from=nonexistent /x /x
RUN --mount=type=tmpfs,target=/tmp make
USER root
EXPOSE 8080/TCP
RUN yum install httpd
COPY --from=builder /a /a
SHELL ["/bin/sh", "-c"]
RUN cat /etc/os-release | grep ID
VOLUME ["/data"]
RUN uv pip install -r pyproject.toml
HEALTHCHECK CMD true
HEALTHCHECK CMD false
RUN ["/bin/bash", "-c", "echo hi"]
RUN apt-get install python3
RUN apk add --update bash

FROM builder AS second
FROM second
RUN echo done
FROM builder AS builder
