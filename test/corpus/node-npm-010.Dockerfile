# syntax=docker/dockerfile:1.4
# Builds the notifier service
FROM node:20-slim
WORKDIR /usr/src/app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build
USER node:node
EXPOSE 5173
CMD ["dumb-init", "node", "server.js"]
