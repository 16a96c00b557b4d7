# The router's image: `faust router` alone, as a non-root user on port 8080,
# behind a TLS reverse proxy (docs/deploy.md). The backend (`faust run`) stays
# on the researcher's machine and connects to it with the token.
#
#   docker build -t faust-router .
#   docker run -d --name faust-router -p 127.0.0.1:8080:8080 \
#     -e FAUST_BACKEND_TOKEN="$(cat router-token)" \
#     -v /srv/faust/site:/srv/faust/site:ro -v faust-uploads:/var/lib/faust/uploads \
#     faust-router
#
# tests/integration/deploy-dockerfile.test.ts checks this file against the CLI
# and builds it where a Docker daemon is reachable.

FROM node:20-bookworm-slim AS build
# The image's npm is 10; the repository's lock file is npm 11's (README: requirements).
RUN npm install -g npm@11 --no-audit --no-fund
WORKDIR /app
# The manifests first: a change to the sources alone reuses the installed modules.
# npm ci needs every workspace the root package.json lists.
COPY package.json package-lock.json .npmrc ./
COPY packages/protocol/package.json packages/protocol/
COPY packages/router/package.json packages/router/
COPY packages/backend/package.json packages/backend/
COPY packages/client/package.json packages/client/
COPY packages/react/package.json packages/react/
COPY packages/jspsych/package.json packages/jspsych/
COPY packages/testing/package.json packages/testing/
COPY packages/console/package.json packages/console/
COPY packages/create-faust/package.json packages/create-faust/
COPY packages/cli/package.json packages/cli/
COPY examples/static-form/package.json examples/static-form/
COPY examples/model-in-the-loop/package.json examples/model-in-the-loop/
COPY examples/chat/package.json examples/chat/
# Without scripts: the root `prepare` would also install tests/react18 and
# build the example pages, none of which the router needs. The packages whose
# install scripts matter (the root's allowScripts) are rebuilt by name.
RUN npm ci --ignore-scripts --no-audit --no-fund \
  && npm rebuild better-sqlite3 esbuild
COPY tsconfig.base.json ./
COPY packages/ packages/
RUN npx tsc -b packages/cli \
  && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules node_modules/
COPY --from=build /app/packages packages/
# The task site is mounted (or copied) into /srv/faust/site; uploads are
# written to /var/lib/faust/uploads, the only folder the router writes.
RUN mkdir -p /srv/faust/site /var/lib/faust/uploads \
  && chown node:node /var/lib/faust/uploads
# node (uid 1000) comes with the base image.
USER node
# The backend token comes from the environment too: FAUST_BACKEND_TOKEN.
ENV FAUST_STATIC_DIR=/srv/faust/site \
  FAUST_UPLOAD_DIR=/var/lib/faust/uploads
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:8080/is_alive').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "/app/packages/cli/bin/faust.js"]
CMD ["router", "--host", "0.0.0.0", "--port", "8080"]
