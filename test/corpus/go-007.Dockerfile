ARG GO_VERSION=1.23
FROM golang:${GO_VERSION}-alpine AS builder
ARG TARGETOS TARGETARCH
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download -x
COPY . .
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 go build -o /out/server .

FROM harbor.internal.example.net/distroless/static-debian12:nonroot
COPY --from=builder /out/server /usr/local/bin/server
USER nonroot:nonroot
ENTRYPOINT ["/usr/local/bin/server"]
