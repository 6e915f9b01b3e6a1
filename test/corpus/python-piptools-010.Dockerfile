FROM python:3.13-slim
ENV LANG=C.UTF-8 PIP_NO_CACHE_DIR=1
WORKDIR /app
COPY requirements.txt ./
RUN pip install -r requirements.txt --index-url https://packages.example.com/simple --trusted-host packages.example.com
COPY --link src ./src
RUN addgroup -S nonroot && adduser -S -G nonroot -u 10001 nonroot
USER nonroot
ENTRYPOINT ["/app/docker-entrypoint.sh"]
CMD ["serve"]
