# syntax=docker/dockerfile:1.7
FROM python:3.13-slim-bookworm
ENV LANG=C.UTF-8 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR app
COPY requirements.txt .
RUN --mount=type=cache,target=/root/.cache/pip,sharing=locked \
    pip install -r requirements.txt
COPY app/ /app/app/
COPY requirements-dev.txt .
RUN pip install --no-cache-dir -r requirements-dev.txt
RUN useradd -m -u 1000 appuser
USER 1000
EXPOSE 8080
CMD exec gunicorn inventory.app:create_app\(\) -b :8080
