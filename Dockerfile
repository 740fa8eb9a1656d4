# syntax=docker/dockerfile:1
# Multi-stage build. The image runs a maintained Node.js LTS (22); the code also runs on Node 20,
# which development machines and CI use (package.json "engines" says both).

FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY src ./src
COPY migrations ./migrations
RUN npx nest build && npm prune --omit=dev

FROM node:22-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --chown=node:node package.json ./
USER node
EXPOSE 3000
# Liveness for plain Docker; Kubernetes uses its own probes (deploy/k8s).
HEALTHCHECK --interval=15s --timeout=3s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# The heap limit is package.json's "start:prod" (a test keeps them equal): without one, V8 grows the
# heap lazily towards a limit sized for the host, far beyond what the service needs (bench/README.md).
CMD ["node", "--max-old-space-size=160", "dist/src/main.js"]
