# Dockerfile for the reports service
FROM node:18-bookworm-slim
WORKDIR /usr/src/app
RUN corepack enable && corepack prepare pnpm@9.12.0 --activate
COPY pnpm-lock.yaml ./
COPY package.json pnpm-workspace.yaml* ./
RUN pnpm install
COPY . .
RUN pnpm build
USER node:node
EXPOSE 3000
ENTRYPOINT ["node"]
CMD ["server.js"]
