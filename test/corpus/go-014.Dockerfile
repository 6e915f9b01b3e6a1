# syntax=docker/dockerfile:1
# check=skip=StageNameCasing,FromAsCasing
# Container image for the reports service
ARG GO_VERSION=1.21
FROM --platform=$BUILDPLATFORM golang:${GO_VERSION}-bookworm AS builder
ARG TARGETOS TARGETARCH
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download -x
COPY . .
RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -trimpath -ldflags="-s -w" -o /out/cli ./cmd/cli

FROM cr.corp.example/distroless/static-debian12:nonroot
COPY --from=builder /out/cli /usr/local/bin/cli
USER nonroot:nonroot
ENTRYPOINT ["/usr/local/bin/cli"]
