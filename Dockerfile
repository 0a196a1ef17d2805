# Metas PDM: web server + Temporal worker in one process. TypeScript runs through tsx (no build step).
# Needs a Temporal cluster (TEMPORAL_ADDRESS) and PostgreSQL (DATABASE_URL): see temporal.docker-compose.yml.
# Debian (glibc) rather than Alpine: the Temporal SDK's native core bridge ships glibc builds.
FROM node:20-bookworm-slim

ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/app/data \
    TZ=America/Bogota \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false

WORKDIR /app

# Dependencies first, so source changes reuse this layer. tsx is a runtime dependency.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force

COPY . .
RUN mkdir -p /app/data && chown node:node /app/data

# The image's unprivileged user; only the data folder is writable.
USER node

EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=5 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# tsx as a loader in the one Node process, rather than `npx tsx`: `docker stop` sends SIGTERM to the
# main process only, and npm exec dies without passing it on, so the app would never drain the worker.
CMD ["node", "--import", "tsx", "scripts/start.ts"]
