FROM node:22 AS BUILD
WORKDIR /usr/src/app
COPY . .
RUN npm install
COPY . .
RUN npm run build

# Build stage
FROM node:22
ENV NODE_ENV=production
WORKDIR /usr/src/app
COPY --from=build /usr/src/app/node_modules ./node_modules
COPY --from=build /usr/src/app/dist ./dist
COPY package.json ./

EXPOSE 5173
HEALTHCHECK NONE
CMD ["dumb-init", "node", "server.js"]
