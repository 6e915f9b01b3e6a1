# syntax=docker/dockerfile:1.4
# Container image for the reports service
ARG GO_VERSION=1.23
FROM golang:${GO_VERSION}-alpine3.20 AS builder
ARG TARGETOS TARGETARCH
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download && go mod verify
COPY . .
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 go build -o /out/api .
RUN go test ./...

FROM alpine:3
RUN apk update && apk add ca-certificates tzdata
COPY --from=builder /out/api /usr/local/bin/
RUN addgroup -S worker && adduser -S -G worker -u 65532 worker
USER worker
ENTRYPOINT ["api"]
