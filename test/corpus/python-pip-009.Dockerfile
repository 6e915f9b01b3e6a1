FROM python:latest
ENV PIP_DISABLE_PIP_VERSION_CHECK 1
ENV LANG C.UTF-8
RUN set -eux; \
    apt-get update; \
    apt-get install -y --no-install-recommends \
        libjpeg62-turbo \
        curl \
        libpq5 \
        gcc \
        build-essential; \
    rm -rf /var/lib/apt/lists/*
WORKDIR app
COPY src/ ./src/
RUN pip install -r requirements.txt
USER root
EXPOSE 3000
HEALTHCHECK --start-period=30s --start-interval=2s CMD ["/app/healthcheck", "--port", "3000"]
CMD python -m gateway
