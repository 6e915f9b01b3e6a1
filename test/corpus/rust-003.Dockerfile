# syntax=docker/dockerfile:1.7
FROM rust:1.77 AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release && cp target/release/agent /usr/local/bin/agent

FROM debian:bookworm-slim AS runtime
COPY --from=build /usr/local/bin/agent /usr/local/bin/agent
ENTRYPOINT ["/usr/local/bin/agent"]
