# syntax=docker/dockerfile:1.4
FROM node:18-slim AS build
WORKDIR /usr/src/app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci
COPY . .
RUN npm run build

# Dependencies first so the layer is cached when only the code changes
FROM cr.corp.example/distroless/nodejs22-debian12:nonroot
WORKDIR /app
COPY --from=build /usr/src/app /app
CMD ["dist/server.js"]
