# faultline: the CLI, API server and worker in one image. The CLI runs its
# TypeScript through tsx (a runtime dependency), so there is no build step.
FROM node:20-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force
COPY . .
RUN mkdir -p /data && chown node:node /data
USER node
ENV FAULTLINE_DATA_DIR=/data FAULTLINE_HOST=0.0.0.0 FAULTLINE_PORT=4318
EXPOSE 4318
ENTRYPOINT ["node", "bin/faultline.js"]
CMD ["serve"]
