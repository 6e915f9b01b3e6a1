ARG GO_VERSION=1.22
FROM golang:${GO_VERSION}-alpine3.20
ARG TARGETOS TARGETARCH
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download && go mod verify
COPY . .
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 go build -o /out/server .

FROM registry.example.com/distroless/static-debian12:latest
COPY --from=0 /out/server /usr/local/bin/server
USER nonroot:nonroot
ENTRYPOINT ["/usr/local/bin/server"]
