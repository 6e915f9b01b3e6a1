# syntax=docker/dockerfile:1.4
FROM node:20-slim AS build
WORKDIR /usr/src/app
COPY package.json package-lock.json ./
RUN npm install
COPY . .
RUN npm run build

# NOTE: the CI passes BUILD_DATE and VCS_REF
FROM node:20-slim
ENV NODE_ENV=production
WORKDIR /usr/src/app
COPY --from=build /usr/src/app/node_modules ./node_modules
COPY --from=build /usr/src/app/dist ./dist
COPY package.json ./
USER node:node
EXPOSE 4000
CMD ["node", "dist/index.js"]
