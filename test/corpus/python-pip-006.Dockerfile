# syntax=docker/dockerfile:1.7-labs
FROM registry.example.com/base/python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1
RUN --mount=type=cache,target=/var/cache/apt,sharing=locked \
    --mount=type=cache,target=/var/lib/apt,sharing=locked \
    rm -f /etc/apt/apt.conf.d/docker-clean \
    && apt-get update \
    && apt-get install -y --no-install-recommends \
        curl \
        locales \
        libjpeg62-turbo \
        build-essential \
        libffi-dev
WORKDIR app
COPY . /app
RUN pip install -r requirements.txt
EXPOSE 8501
ENTRYPOINT ["python", "-m", "billing"]
CMD ["--port", "8501"]
