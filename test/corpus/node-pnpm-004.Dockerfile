# syntax=docker/dockerfile:1.7-labs
FROM node:lts-alpine AS build
WORKDIR /usr/src/app
RUN npm i -g pnpm
COPY pnpm-lock.yaml ./
RUN --mount=type=cache,id=pnpm,target=/root/.local/share/pnpm/store pnpm fetch --prod
COPY package.json pnpm-workspace.yaml* ./
RUN --mount=type=cache,id=pnpm,target=/pnpm/store pnpm install --offline --frozen-lockfile --prod
COPY . .
RUN pnpm build

# Runtime image
FROM node:lts-alpine
ENV NODE_ENV=production
WORKDIR /usr/src/app
COPY --from=build /usr/src/app/node_modules ./node_modules
COPY --from=build /usr/src/app/dist ./dist
COPY package.json ./
USER node:node
EXPOSE 5173
HEALTHCHECK CMD wget -qO- http://127.0.0.1:5173/health || exit 1
CMD ["dumb-init", "node", "server.js"]