# Builds the ledger service
FROM node:22-bookworm-slim
WORKDIR /usr/src/app
COPY package.json yarn.lock ./
RUN yarn
COPY . .
RUN yarn build

EXPOSE 4000
CMD ["node", "dist/index.js"]
