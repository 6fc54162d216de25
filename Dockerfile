# syntax=docker/dockerfile:1
#
# persona-runner: one image for the MCP gateway, the worker and the `personas` CLI. The project runs
# its TypeScript directly through tsx (a runtime dependency): there is no build step.
#
#   docker build -t persona-runner .
#   docker run --rm -e DATABASE_URL=... -e VAULT_KEK=... persona-runner           # the gateway
#   docker run --rm ... persona-runner node scripts/bin/personas.js worker          # the worker
#
# docker-compose.yml builds it and runs both (see the comments there for the variables).
FROM node:20-bookworm-slim

# package.json "allowScripts" lists the only dependencies whose install scripts may run. npm 11
# honours that field (npm RFC 868); the npm 10 that Node 20 ships ignores it and would run every
# install script. So first install the npm the project is developed with.
ARG NPM_VERSION=11.19.1
RUN npm install --global --no-audit --no-fund "npm@${NPM_VERSION}" \
 && npm cache clean --force

WORKDIR /app

# Dependencies before the code, so a code change reuses this layer. tsx is a runtime dependency
# ("dependencies" in package.json), so the devDependencies (typescript, eslint, drizzle-kit, the
# test tooling, the MCP Inspector) stay out of the image.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund \
 && npm cache clean --force

# The repository (see .dockerignore: no node_modules, .data, .venv, .git, env files, tests).
# Files stay root-owned, read-only for the app; only the data directory is the app user's.
COPY . .
RUN mkdir -p /app/.data && chown node:node /app/.data

ENV NODE_ENV=production
# The unprivileged user of the official Node images.
USER node

# gateway (GATEWAY_PORT), worker metrics + health (WORKER_METRICS_PORT), Temporal SDK metrics.
EXPOSE 3069 9464 9465
CMD ["node", "scripts/bin/personas.js", "gateway"]
