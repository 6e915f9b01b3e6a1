# Builds the search service
FROM python
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONUNBUFFERED=1 \
    PYTHONFAULTHANDLER=1 \
    PIP_NO_CACHE_DIR=1
RUN apt-get update \
    && apt-get install -y --no-install-recommends locales libffi-dev \
    && rm -rf /var/lib/apt/lists/*
RUN mkdir -p /app
WORKDIR /app
COPY requirements.txt ./
RUN python -m pip install --no-cache-dir -r requirements.txt
COPY . .
EXPOSE 8501
HEALTHCHECK --interval=1m --timeout=5s CMD ["python", "-c", "import urllib.request,sys; urllib.request.urlopen('http://localhost:8501/ping'); sys.exit(0)"]
CMD ["celery", "-A", "reports", "worker", "--loglevel=info"]