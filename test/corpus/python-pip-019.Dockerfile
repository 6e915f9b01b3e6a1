# syntax=docker/dockerfile:1.7
FROM python
LABEL org.opencontainers.image.version="1.6.5" \
      org.opencontainers.image.vendor="Example Corp" \
      com.example.team=payments
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1
RUN apt-get update && apt-get install -y tini libpq5 locales \
    && rm -rf /var/lib/apt/lists/*
WORKDIR app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
ADD . /app
RUN python -m compileall -q /app
RUN useradd -m -u 1001 appuser
USER 1001:1001
EXPOSE 8080
ENTRYPOINT ["/app/docker-entrypoint.sh"]
CMD ["serve"]
