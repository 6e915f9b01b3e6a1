# syntax=docker/dockerfile:1.7
FROM node:latest
WORKDIR /usr/src/app
RUN corepack enable && corepack prepare pnpm@9.12.0 --activate
COPY pnpm-lock.yaml ./
RUN --mount=type=cache,id=pnpm,target=/root/.local/share/pnpm/store pnpm fetch --prod
COPY package.json pnpm-workspace.yaml* ./
RUN --mount=type=cache,id=pnpm,target=/pnpm/store pnpm install --offline --frozen-lockfile --prod
COPY . .
RUN pnpm build
USER node
EXPOSE 5173
HEALTHCHECK --start-period=30s --start-interval=2s CMD ["/app/healthcheck", "--port", "5173"]
CMD ["dumb-init", "node", "server.js"]
