# syntax=docker/dockerfile:1
FROM node:lts-alpine
WORKDIR /usr/src/app
RUN corepack enable && corepack prepare pnpm@9.12.0 --activate
COPY pnpm-lock.yaml ./
RUN --mount=type=cache,id=pnpm,target=/root/.local/share/pnpm/store pnpm fetch --prod
COPY package.json pnpm-workspace.yaml* ./
RUN pnpm install
COPY . .
RUN pnpm build
USER node:node
EXPOSE 4000
HEALTHCHECK --interval=1m --timeout=5s CMD ["python", "-c", "import urllib.request,sys; urllib.request.urlopen('http://localhost:4000/ping'); sys.exit(0)"]
CMD npm start
