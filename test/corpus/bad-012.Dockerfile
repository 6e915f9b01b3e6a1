FROM python:3.12-slim AS builder
RUN pip install -r requirements-dev.txt
ENTRYPOINT ./start.sh
ENTRYPOINT ["./start.sh"]
WORKDIR relative/path
RUN --network=none pip install flask
MAINTAINER someone@example.com
RUN --mount=type=ssh git clone git@git.example.com:team/repo.git

FROM builder AS second
FROM second
RUN echo done
