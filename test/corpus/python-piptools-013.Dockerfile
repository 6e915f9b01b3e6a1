# syntax=docker/dockerfile:1.7
FROM python:3.13-slim-bookworm
ENV PIP_DISABLE_PIP_VERSION_CHECK 1
WORKDIR /app
COPY requirements/prod.txt ./requirements/
RUN pip install -r requirements/prod.txt --index-url https://packages.example.com/simple --trusted-host packages.example.com
ADD . /app
RUN useradd -m -u 1001 appuser
USER 1001
CMD exec gunicorn inventory.app:create_app\(\) -b :3000
