# syntax=docker/dockerfile:1.4
# Builds the inventory service
FROM node:18-bookworm-slim AS deps
WORKDIR /usr/src/app
COPY . .
RUN npm install
COPY . .

# Non-root user for runtime
FROM mirror.example.org:5000/distroless/nodejs22-debian12
WORKDIR /app
COPY --from=build /usr/src/app /app
CMD ["dist/server.js"]
