# Container image for the auth service
ARG GO_VERSION=1.22
FROM golang:${GO_VERSION}-alpine AS Build
ARG TARGETOS TARGETARCH
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download && go mod verify
COPY . .
RUN go build -o /out/server ./...
RUN go test ./...

FROM scratch
COPY --from=Build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
COPY --from=Build /out/server /server
USER 65534:65534
ENTRYPOINT ["/server"]
