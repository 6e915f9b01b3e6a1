ARG GO_VERSION=1.22
FROM --platform=$BUILDPLATFORM golang:${GO_VERSION}-bookworm AS Build
ARG TARGETOS TARGETARCH
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download -x
COPY . .
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 go build -o /out/worker .

FROM alpine:latest
RUN apk update && apk add ca-certificates tzdata
COPY --from=Build /out/worker /usr/local/bin/
RUN addgroup -S app && adduser -S -G app -u 10001 app
USER app
ENTRYPOINT ["worker"]
