# The configgraph server (HTTP API + explorer). Used by docker-compose.yml next to Neo4j; on its own:
#   docker build -t configgraph . && docker run -e CONFIGGRAPH_TOKEN=... -p 127.0.0.1:8080:8080 configgraph
FROM node:22-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 compiles from source when no prebuilt binary fits.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build:client && npm prune --omit=dev

FROM node:22-bookworm-slim
ENV NODE_ENV=production \
    CONFIGGRAPH_HOST=0.0.0.0 \
    CONFIGGRAPH_PORT=8080
WORKDIR /app
COPY --from=build --chown=node:node /app /app
USER node
EXPOSE 8080
# Listening on 0.0.0.0 needs CONFIGGRAPH_TOKEN: the server refuses to start without one.
ENTRYPOINT ["node", "bin/configgraph.js"]
CMD ["serve"]
