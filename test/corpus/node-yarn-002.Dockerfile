# syntax=docker/dockerfile:1-labs
# Container image for the search service
FROM node:22.3.2-alpine3.20
WORKDIR /usr/src/app
RUN corepack enable
COPY package.json yarn.lock .yarnrc.yml ./
COPY .yarn ./.yarn
RUN yarn install --immutable
COPY . .
USER node:node
EXPOSE 3000
CMD ["dumb-init", "node", "server.js"]
