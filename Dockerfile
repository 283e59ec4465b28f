# faultline: the CLI, API server and worker in one image, running the
# compiled JavaScript in dist/. The build stage has the dev dependencies
# (TypeScript) and compiles; the image keeps only the run-time ones. tsx is
# one of those: docker-compose.yml runs the demo services from their
# TypeScript sources with this image.
FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` builds dist/, and the sources are not here yet.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npm run build

FROM node:20-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` would compile again without TypeScript; the
# dependencies' own scripts only pick or check prebuilt binaries.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY . .
COPY --from=build /app/dist ./dist
RUN mkdir -p /data && chown node:node /data
USER node
ENV FAULTLINE_DATA_DIR=/data FAULTLINE_HOST=0.0.0.0 FAULTLINE_PORT=4318
EXPOSE 4318
ENTRYPOINT ["node", "bin/faultline.js"]
CMD ["serve"]
