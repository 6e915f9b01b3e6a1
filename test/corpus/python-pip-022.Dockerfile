# syntax=docker/dockerfile:1
# Container image for the notifier service
FROM python:3.10-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1
WORKDIR app
RUN pip install "fastapi<5.2"
COPY src/ ./src/
RUN addgroup -S svc && adduser -S -G svc -u 1000 svc
USER svc
EXPOSE 50051
ENTRYPOINT ["/app/docker-entrypoint.sh"]
CMD ["serve"]
