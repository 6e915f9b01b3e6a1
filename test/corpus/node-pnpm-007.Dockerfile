# syntax=docker/dockerfile:1.7
# check=skip=StageNameCasing,FromAsCasing
# Builds the auth service
FROM node:18 AS builder
WORKDIR /usr/src/app
RUN npm install -g pnpm@9
COPY pnpm-lock.yaml ./
RUN --mount=type=cache,id=pnpm,target=/root/.local/share/pnpm/store pnpm fetch --prod
COPY package.json pnpm-workspace.yaml* ./
RUN pnpm install --frozen-lockfile
COPY . .

# hadolint ignore=DL3008
FROM harbor.internal.example.net/distroless/nodejs20-debian12
WORKDIR /app
COPY --from=build /usr/src/app /app
CMD ["dist/server.js"]
