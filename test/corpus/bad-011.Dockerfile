FROM ubuntu:latest
RUN --mount=type=cache,target=/root/.cache/pip,uid=1000 pip install -r requirements.txt
ENV SECRET_KEY=supersecret
RUN --mount=type=ssh git clone git@git.example.com:team/repo.git
COPY .env /app/.env
ONBUILD RUN echo built
RUN apk add --update bash
RUN --network=none pip install flask
STOPSIGNAL SIGKILL
RUN uv sync
RUN uv pip install -r pyproject.toml
ENV PATH $PATH:/opt/bin
ARG GITHUB_TOKEN
RUN pip install --upgrade pip
RUN wget https://downloads.example.com/a && curl -O https://downloads.example.com/b
COPY id_rsa /root/.ssh/id_rsa
FROM builder AS builder
