# check=skip=SecretsUsedInArgOrEnv;error=true
FROM rust:latest
WORKDIR /usr/src/app
COPY . .
RUN cargo install --path .
CMD ["indexer"]
