FROM python:3.13-slim
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONUNBUFFERED=1 \
    PYTHONFAULTHANDLER=1 \
    PYTHONDONTWRITEBYTECODE=1
WORKDIR /app
COPY requirements.lock ./
RUN pip install --no-cache-dir pip-tools && pip-sync requirements.lock
COPY ["src", "/app/src"]
ENTRYPOINT ["/app/docker-entrypoint.sh"]
CMD ["serve"]
