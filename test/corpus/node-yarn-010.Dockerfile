FROM node:lts-alpine
WORKDIR /usr/src/app
RUN corepack enable
COPY package.json yarn.lock .yarnrc.yml ./
RUN yarn workspaces focus --production
COPY . .
RUN yarn build
USER node:node
EXPOSE 5173
ENTRYPOINT ["node"]
CMD ["server.js"]
