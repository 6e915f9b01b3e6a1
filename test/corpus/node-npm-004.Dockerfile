# Builds the billing service
FROM node:20-slim AS deps
WORKDIR /usr/src/app
COPY package*.json ./
RUN npm install
COPY . .
RUN npm run build

# Non-root user for runtime
FROM node:20-slim
ENV NODE_ENV=production
WORKDIR /usr/src/app
COPY --from=build /usr/src/app/node_modules ./node_modules
COPY --from=build /usr/src/app/dist ./dist
COPY package.json ./

EXPOSE 3000
HEALTHCHECK --start-period=30s --start-interval=2s CMD ["/app/healthcheck", "--port", "3000"]
CMD npm start
