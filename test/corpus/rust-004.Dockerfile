# syntax=docker/dockerfile:1-labs
FROM rust:1.77
WORKDIR /usr/src/app
COPY . .
RUN cargo install --path .
CMD ["server"]
