# Dockerfile for the ledger service
FROM node:latest AS build
WORKDIR /usr/src/app
COPY package.json yarn.lock ./
RUN yarn install --frozen-lockfile
COPY . .
RUN yarn build

# Copy the application last
FROM node:latest
ENV NODE_ENV=production
WORKDIR /usr/src/app
COPY --from=build /usr/src/app/node_modules ./node_modules
COPY --from=build /usr/src/app/dist ./dist
COPY package.json ./
USER node:node
EXPOSE 8080
ENTRYPOINT ["node"]
CMD ["server.js"]
