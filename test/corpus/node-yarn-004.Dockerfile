# syntax=docker/dockerfile:1.4
FROM node:20.15.2-alpine3.20 AS deps
WORKDIR /usr/src/app
COPY package.json yarn.lock ./
RUN --mount=type=cache,target=/usr/local/share/.cache/yarn yarn install --frozen-lockfile
COPY . .
RUN yarn build

# NOTE: the CI passes BUILD_DATE and VCS_REF
FROM node:20.15.2-alpine3.20
ENV NODE_ENV=production
WORKDIR /usr/src/app
COPY --from=build /usr/src/app/node_modules ./node_modules
COPY --from=build /usr/src/app/dist ./dist
COPY package.json ./

EXPOSE 5173
CMD npm start
