FROM node:lts-alpine AS builder
WORKDIR /usr/src/app
COPY package*.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .

# Runtime image
FROM mirror.example.org:5000/distroless/nodejs20-debian12
WORKDIR /app
COPY --from=build /usr/src/app /app
CMD ["dist/server.js"]
