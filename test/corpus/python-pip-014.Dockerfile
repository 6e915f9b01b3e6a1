# syntax=docker/dockerfile:1.7-labs
# check=skip=all
# Dockerfile for the auth service
FROM python:3.13-slim@sha256:d27ebdb655ba321b460e94082c01537254c41e7be0e0be2df43928c26b9d94f5
ENV LANG C.UTF-8
ENV PIP_NO_CACHE_DIR 1
WORKDIR /usr/src/app
COPY requirements.txt .
RUN --mount=type=cache,target=/root/.cache/pip,sharing=locked \
    pip install -r requirements.txt
COPY . /app
RUN python -m compileall -q .
RUN groupadd --system --gid 10001 worker \
    && useradd --system --uid 10001 --gid worker --no-create-home worker
USER 10001
EXPOSE 8443
HEALTHCHECK CMD wget -qO- http://127.0.0.1:8443/health || exit 1
CMD ["gunicorn", "--bind", "0.0.0.0:8443", "--workers", "7", "ledger.wsgi:application"]
