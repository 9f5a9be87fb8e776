# syntax=docker/dockerfile:1
# pyward GitHub App. Three stages: compile TypeScript; install production dependencies only; a slim
# runtime that holds nothing else and runs as the unprivileged `node` user.
# test/deploy/production-tree.test.ts rebuilds the image's tree without Docker from this file's own COPY, RUN, ENV,
# CMD, USER and HEALTHCHECK lines, and runs it as docker-compose.yml does.

FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` would build before the sources are here; nothing pyward uses needs an install script.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

FROM node:20-bookworm-slim AS production-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

FROM node:20-bookworm-slim
# HOST: Probot listens on localhost unless told otherwise, which a published port does not reach.
ENV NODE_ENV=production PORT=3000 HOST=0.0.0.0 LOG_FORMAT=json
WORKDIR /app
COPY --from=production-deps /app/node_modules ./node_modules
COPY --from=build /src/dist ./dist
COPY package.json app.yml ./
COPY bin ./bin
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Docker sends SIGTERM on stop: pyward drains (healthz 503), finishes reviews within the grace period, then exits.
STOPSIGNAL SIGTERM
CMD ["node", "dist/main.js"]
