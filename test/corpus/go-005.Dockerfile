ARG GO_VERSION=1.23
FROM golang:${GO_VERSION}-alpine AS build
ARG TARGETOS TARGETARCH
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN go build -o /out/worker ./...

FROM alpine:latest
RUN apk add --no-cache ca-certificates tzdata
COPY --from=build /out/worker /usr/local/bin/
RUN addgroup -S svc && adduser -S -G svc -u 65532 svc
USER svc
ENTRYPOINT ["worker"]
