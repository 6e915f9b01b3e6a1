# syntax=docker/dockerfile:1.7
FROM node:20 AS builder
WORKDIR /usr/src/app
RUN corepack enable
COPY package.json yarn.lock .yarnrc.yml ./
RUN yarn install --immutable
COPY . .
RUN yarn build

# TODO: pin the base image by digest
FROM registry.example.com/distroless/nodejs20-debian12:nonroot
WORKDIR /app
COPY --from=build /usr/src/app /app
CMD ["dist/server.js"]
