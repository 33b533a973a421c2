# syntax=docker/dockerfile:1
# Multi-stage build of the API + dashboard, following the same steps as .ci/run.

FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY apps/api/package.json apps/api/
COPY apps/web/package.json apps/web/
COPY libs/contracts/package.json libs/contracts/
COPY libs/graph-client/package.json libs/graph-client/
COPY tools/embedded-mongo/package.json tools/embedded-mongo/
# The root postinstall patches installed dependencies (tools/patch-dependencies.js).
COPY tools/patch-dependencies.js tools/
COPY tools/embedded-mongo/patched-ferretdb.js tools/embedded-mongo/
RUN npm ci
COPY . .
RUN npm run build

FROM node:22-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY apps/api/package.json apps/api/
COPY apps/web/package.json apps/web/
COPY libs/contracts/package.json libs/contracts/
COPY libs/graph-client/package.json libs/graph-client/
COPY tools/embedded-mongo/package.json tools/embedded-mongo/
COPY tools/patch-dependencies.js tools/
COPY tools/embedded-mongo/patched-ferretdb.js tools/embedded-mongo/
RUN npm ci --omit=dev --workspace @conecta/api --include-workspace-root=false \
  && node tools/patch-dependencies.js

FROM node:22-bookworm-slim AS runtime
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000
WORKDIR /app
COPY --from=deps --chown=node:node /app/node_modules ./node_modules
COPY --chown=node:node package.json ./
COPY --from=build --chown=node:node /app/libs/contracts/package.json /app/libs/contracts/
COPY --from=build --chown=node:node /app/libs/contracts/dist /app/libs/contracts/dist
COPY --from=build --chown=node:node /app/libs/graph-client/package.json /app/libs/graph-client/
COPY --from=build --chown=node:node /app/libs/graph-client/dist /app/libs/graph-client/dist
COPY --from=build --chown=node:node /app/tools/embedded-mongo /app/tools/embedded-mongo
COPY --from=build --chown=node:node /app/apps/api/package.json /app/apps/api/
COPY --from=build --chown=node:node /app/apps/api/dist /app/apps/api/dist
COPY --from=build --chown=node:node /app/apps/web/dist /app/apps/web/dist
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/api/health').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
CMD ["node", "apps/api/dist/main.js"]
