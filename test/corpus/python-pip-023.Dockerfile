# check=skip=JSONArgsRecommended
FROM python:3.9-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends build-essential libssl-dev
WORKDIR /build
COPY requirements.txt .
RUN --mount=type=cache,target=/root/.cache/pip \
    pip wheel --wheel-dir /wheels -r requirements.txt

# Copy the application last
FROM python:3.9-slim
ENV PYTHONFAULTHANDLER=1 \
    PYTHONUNBUFFERED=1 \
    LANG=C.UTF-8 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
RUN --mount=type=bind,from=builder,source=/wheels,target=/wheels \
    pip install --no-cache-dir --no-index --find-links=/wheels /wheels/*
ADD . /app
RUN addgroup -S svc && adduser -S -G svc -u 1000 svc
USER svc
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
  CMD curl -fsS http://localhost:8080/healthz || exit 1
ENTRYPOINT ["python", "-m", "orders"]
CMD ["--port", "8080"]
