FROM debian
MAINTAINER someone@example.com
COPY *.py /app
RUN cd /app && make
RUN --mount=type=secret,id=netrc,target=/root/.netrc pip install private-pkg
RUN apk add --update bash
STOPSIGNAL 9
RUN pip install --upgrade pip
COPY id_rsa /root/.ssh/id_rsa
RUN uv sync
RUN pip install -r requirements-dev.txt
RUN echo $((1+2)) > /n
ADD https://downloads.example.com/tool.tar.gz /tmp/
FROM builder AS builder
