# syntax=docker/dockerfile:1-labs
# Dockerfile for the ingest service
FROM node:20 AS builder
WORKDIR /usr/src/app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .

# Install system dependencies
FROM mirror.example.org:5000/distroless/nodejs22-debian12
WORKDIR /app
COPY --from=build /usr/src/app /app
CMD ["dist/server.js"]
