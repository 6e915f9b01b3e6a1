FROM node:18.13.2-alpine3.20 AS BUILD
WORKDIR /usr/src/app
RUN corepack enable
COPY package.json yarn.lock .yarnrc.yml ./
RUN yarn workspaces focus --production
COPY . .
RUN yarn build

#
FROM node:18.13.2-alpine3.20
ENV NODE_ENV=production
WORKDIR /usr/src/app
COPY --from=build /usr/src/app/node_modules ./node_modules
COPY --from=build /usr/src/app/dist ./dist
COPY package.json ./
USER node:node
EXPOSE 4000
HEALTHCHECK --interval=1m --timeout=5s CMD ["python", "-c", "import urllib.request,sys; urllib.request.urlopen('http://localhost:4000/ping'); sys.exit(0)"]
CMD ["yarn", "start"]
