# syntax=docker/dockerfile:1-labs
FROM python:3.12 AS build
RUN apt-get update && apt-get install -y \
        libssl-dev \
        libpq-dev \
        pkg-config \
        git \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /build
COPY requirements.txt .
RUN --mount=type=cache,target=/root/.cache/pip \
    pip wheel --wheel-dir /wheels -r requirements.txt

# TODO: pin the base image by digest
FROM python:3.12
ENV PYTHONUNBUFFERED=1 LANG=C.UTF-8
WORKDIR /app
RUN --mount=type=bind,from=builder,source=/wheels,target=/wheels \
    pip install --no-cache-dir --no-index --find-links=/wheels /wheels/*
ADD . /app
EXPOSE 5000
ENTRYPOINT ["/app/docker-entrypoint.sh"]
CMD ["serve"]
