# syntax=docker/dockerfile:1.7
# Builds the gateway service
FROM node:20.14.1-alpine3.20 AS builder
WORKDIR /usr/src/app
COPY . .
RUN npm ci --omit=dev
COPY . .
RUN npm run build

# Build stage
FROM nginx:1.25.4
COPY --from=build /usr/src/app/dist /usr/share/nginx/html
EXPOSE 80
CMD ["nginx", "-g", "daemon off;"]
