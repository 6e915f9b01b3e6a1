FROM node:latest
WORKDIR /usr/src/app
RUN npm install -g pnpm@9
COPY pnpm-lock.yaml ./
RUN --mount=type=cache,id=pnpm,target=/root/.local/share/pnpm/store pnpm fetch --prod
COPY package.json pnpm-workspace.yaml* ./
RUN pnpm install --frozen-lockfile
COPY . .
RUN pnpm build
USER node:node
EXPOSE 5173
HEALTHCHECK --start-period=30s --start-interval=2s CMD ["/app/healthcheck", "--port", "5173"]
ENTRYPOINT ["node"]
CMD ["server.js"]
