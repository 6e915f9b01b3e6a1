# syntax=docker/dockerfile:1-labs
FROM rust:1.82-alpine AS builder
RUN --mount=type=cache,target=/var/cache/apk \
    apk add musl-dev openssl-dev pkgconfig
WORKDIR /build
COPY Cargo.toml Cargo.lock ./
RUN mkdir src && echo "fn main() {}" > src/main.rs && cargo build --release && rm -rf src
COPY src ./src
RUN touch src/main.rs && cargo build --release

FROM gcr-mirror.example.com/distroless/cc-debian12
COPY --from=builder /build/target/release/server /usr/local/bin/server
ENTRYPOINT ["/usr/local/bin/server"]
