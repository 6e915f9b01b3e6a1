# Dockerfile for the reports service
FROM node:lts-alpine
WORKDIR /usr/src/app
COPY . .
RUN npm install --production && npm cache clean --force
COPY . .

EXPOSE 5173
HEALTHCHECK --interval=1m --timeout=5s CMD ["python", "-c", "import urllib.request,sys; urllib.request.urlopen('http://localhost:5173/ping'); sys.exit(0)"]
CMD npm start
