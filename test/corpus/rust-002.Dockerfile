# syntax=docker/dockerfile:1-labs
# Dockerfile for the reports service
FROM rust:1.82 AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release && cp target/release/agent /usr/local/bin/agent

FROM gcr-mirror.example.com/distroless/cc-debian12
COPY --from=build /usr/local/bin/agent /usr/local/bin/agent
ENTRYPOINT ["/usr/local/bin/agent"]
