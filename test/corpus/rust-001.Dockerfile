# syntax=docker/dockerfile:1-labs
# check=skip=SecretsUsedInArgOrEnv;error=true
FROM rust:1.80
WORKDIR /usr/src/app
COPY . .
RUN cargo install --path .
CMD ["proxy"]
