# syntax=docker/dockerfile:1.7
FROM node:22-alpine
WORKDIR /usr/src/app
RUN corepack enable
COPY package.json yarn.lock .yarnrc.yml ./
RUN yarn workspaces focus --production
COPY . .
USER node
EXPOSE 5173
CMD ["node", "dist/index.js"]
