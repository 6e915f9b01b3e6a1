FROM debian
COPY package.json yarn.lock /app
WORKDIR relative/path
COPY a b c
RUN pip install -r requirements-dev.txt
RUN shutdown -h now
RUN --mount=type=tmpfs,target=/tmp make
RUN npm install express
STOPSIGNAL SIGKILL
ARG GITHUB_TOKEN
RUN apk add --update bash
RUN pip install git+https://git.example.com/lib.git
RUN --security=insecure mount -t tmpfs none /mnt
USER root

FROM builder AS second
FROM second
RUN echo done
