# Production image (built by docker-compose.yml; not used on the development machine).
FROM node:24-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
# Every workspace's manifest, so `npm ci` installs each one's dependencies and links it.
COPY core/package.json core/
COPY demo/package.json demo/
COPY realtime/package.json realtime/
COPY recommender/package.json recommender/
COPY search/package.json search/
COPY vision/package.json vision/
COPY web/package.json web/
COPY workers/package.json workers/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build:ui
ENV NODE_ENV=production PORT=3000
EXPOSE 3000
CMD ["node", "--import", "tsx", "web/src/main.ts"]
