# syntax=docker/dockerfile:1.7
# Dockerfile for the ledger service
FROM rust:1.81
WORKDIR /usr/src/app
COPY . .
RUN cargo install --path .
CMD ["indexer"]
