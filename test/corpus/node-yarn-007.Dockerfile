# syntax=docker/dockerfile:1.7
FROM node:18-alpine
WORKDIR /usr/src/app
COPY package.json yarn.lock ./
RUN --mount=type=cache,target=/usr/local/share/.cache/yarn yarn install --frozen-lockfile
COPY . .
RUN yarn build
USER node
EXPOSE 4000
ENTRYPOINT ["node"]
CMD ["server.js"]
