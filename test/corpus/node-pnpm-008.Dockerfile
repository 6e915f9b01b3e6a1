FROM node:latest AS BUILD
WORKDIR /usr/src/app
RUN corepack enable && corepack prepare pnpm@9.12.0 --activate
COPY pnpm-lock.yaml ./
COPY package.json pnpm-workspace.yaml* ./
RUN pnpm install -r --prod --frozen-lockfile
COPY . .
RUN pnpm build

# Runtime image
FROM node:latest
ENV NODE_ENV=production
WORKDIR /usr/src/app
COPY --from=build /usr/src/app/node_modules ./node_modules
COPY --from=build /usr/src/app/dist ./dist
COPY package.json ./
USER node:node
EXPOSE 8080
CMD npm start
