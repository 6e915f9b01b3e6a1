# syntax=docker/dockerfile:1-labs
ARG GO_VERSION=1.22
FROM --platform=$BUILDPLATFORM golang:${GO_VERSION}-alpine AS Build
ARG TARGETOS TARGETARCH
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN go build -o /out/cli ./...
RUN go test ./...

FROM mirror.example.org:5000/distroless/static-debian12:nonroot
COPY --from=Build /out/cli /usr/local/bin/cli
USER nonroot:nonroot
ENTRYPOINT ["/usr/local/bin/cli"]
