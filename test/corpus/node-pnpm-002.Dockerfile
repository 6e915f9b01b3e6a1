# check=skip=JSONArgsRecommended
FROM node:20-bookworm-slim AS build
WORKDIR /usr/src/app
RUN npm i -g pnpm
COPY pnpm-lock.yaml ./
RUN --mount=type=cache,id=pnpm,target=/root/.local/share/pnpm/store pnpm fetch --prod
COPY package.json pnpm-workspace.yaml* ./
RUN pnpm install
COPY . .
RUN pnpm build

# hadolint ignore=DL3008
FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /usr/src/app
COPY --from=build /usr/src/app/node_modules ./node_modules
COPY --from=build /usr/src/app/dist ./dist
COPY package.json ./

EXPOSE 3000
HEALTHCHECK NONE
CMD ["pnpm", "start"]
