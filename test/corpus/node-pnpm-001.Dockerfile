# syntax=docker/dockerfile:1-labs
# check=skip=JSONArgsRecommended
# Dockerfile for the orders service
FROM node:lts-alpine
WORKDIR /usr/src/app
RUN npm i -g pnpm
COPY pnpm-lock.yaml ./
RUN --mount=type=cache,id=pnpm,target=/root/.local/share/pnpm/store pnpm fetch --prod
COPY package.json pnpm-workspace.yaml* ./
RUN pnpm install -r --prod --frozen-lockfile
COPY . .
RUN pnpm build

EXPOSE 4000
HEALTHCHECK CMD wget -qO- http://127.0.0.1:4000/health || exit 1
CMD ["pnpm", "start"]
