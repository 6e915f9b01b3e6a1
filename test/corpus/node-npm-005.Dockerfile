FROM node:18-slim
WORKDIR /usr/src/app
COPY . .
RUN --mount=type=cache,target=/root/.npm npm ci
COPY . .
USER node:node
EXPOSE 8080
HEALTHCHECK --start-period=30s --start-interval=2s CMD ["/app/healthcheck", "--port", "8080"]
CMD ["npm", "start"]
