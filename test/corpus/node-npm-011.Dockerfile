# syntax=docker/dockerfile:1.7-labs
# Container image for the billing service
FROM node:20 AS build
WORKDIR /usr/src/app
COPY . .
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npm run build

# Runtime image
FROM node:20
ENV NODE_ENV=production
WORKDIR /usr/src/app
COPY --from=build /usr/src/app/node_modules ./node_modules
COPY --from=build /usr/src/app/dist ./dist
COPY package.json ./
USER node
EXPOSE 3000
HEALTHCHECK --start-period=30s --start-interval=2s CMD ["/app/healthcheck", "--port", "3000"]
CMD npm start
