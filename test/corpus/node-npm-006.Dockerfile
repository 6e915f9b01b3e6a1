# syntax=docker/dockerfile:1-labs
# Container image for the orders service
FROM node:18-bookworm-slim AS builder
WORKDIR /usr/src/app
COPY package*.json ./
RUN npm ci --omit=dev
COPY . .
RUN npm run build

# hadolint ignore=DL3008
FROM registry.example.com/distroless/nodejs20-debian12:nonroot
WORKDIR /app
COPY --from=build /usr/src/app /app
CMD ["dist/server.js"]
