FROM python:3.12-slim AS builder
RUN cd /app && make
RUN ssh-keyscan example.com >> ~/.ssh/known_hosts
LABEL invalid key=value
USER root
RUN shutdown -h now
RUN --network=none pip install flask
COPY --from=builder /a /a
EXPOSE ${PORT:-8080}
RUN apt-get dist-upgrade -y
RUN mkdir /app; cd /app; git clone https://git.example.com/x.git
RUN ["/bin/bash", "-c", "echo hi"]

FROM builder AS second
FROM second
RUN echo done
FROM builder AS builder
