# Production image (built by docker-compose.yml; not used on the development machine).
FROM node:24-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
COPY core/package.json core/
COPY realtime/package.json realtime/
COPY web/package.json web/
COPY workers/package.json workers/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build:ui
ENV NODE_ENV=production PORT=3000
EXPOSE 3000
CMD ["node", "--import", "tsx", "web/src/main.ts"]
