# syntax=docker/dockerfile:1-labs
FROM node:22-slim AS deps
WORKDIR /usr/src/app
RUN corepack enable
COPY package.json yarn.lock .yarnrc.yml ./
RUN yarn install --immutable
COPY . .
RUN yarn build

# hadolint ignore=DL3008
FROM cr.corp.example/distroless/nodejs20-debian12:nonroot
WORKDIR /app
COPY --from=build /usr/src/app /app
CMD ["dist/server.js"]