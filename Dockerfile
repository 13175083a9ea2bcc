# Production image: one build, run as API (APP_MODE=api) or worker (APP_MODE=worker).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY src ./src
COPY bench ./bench
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# Email (and page) templates are read at run time; operators may edit them.
COPY templates ./templates
COPY package.json ./
USER node
EXPOSE 3000
# The flags of npm run start:api / start:worker (docs/operations.md: V8's memory settings).
CMD ["node", "--max-semi-space-size=32", "--heap-growing-percent=50", "dist/src/main.js"]
