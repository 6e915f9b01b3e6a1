# syntax=docker/dockerfile:1.7
FROM rust:1.81-alpine AS builder
RUN apk add --no-cache musl-dev openssl-dev pkgconfig
WORKDIR /build
COPY Cargo.toml Cargo.lock ./
RUN mkdir src && echo "fn main() {}" > src/main.rs && cargo build --release && rm -rf src
COPY src ./src
RUN touch src/main.rs && cargo build --release

FROM alpine:3.20
COPY --from=builder /build/target/release/proxy /usr/local/bin/proxy
ENTRYPOINT ["/usr/local/bin/proxy"]
