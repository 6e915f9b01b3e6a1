# syntax=docker/dockerfile:1.7
# check=skip=JSONArgsRecommended
# Dockerfile for the notifier service
FROM node:lts-alpine
WORKDIR /usr/src/app
RUN corepack enable
COPY package.json yarn.lock .yarnrc.yml ./
COPY .yarn ./.yarn
RUN yarn install --immutable
COPY . .
RUN yarn build
USER node:node
EXPOSE 8080
CMD ["node", "dist/index.js"]
