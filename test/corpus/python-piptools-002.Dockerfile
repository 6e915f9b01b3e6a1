# syntax=docker/dockerfile:1
FROM python:3.11-slim-bookworm
ENV PYTHONFAULTHANDLER 1
WORKDIR /app
COPY requirements/prod.txt ./requirements/
RUN pip install -r requirements/prod.txt --index-url https://packages.example.com/simple --trusted-host packages.example.com
RUN pip check
COPY app/ /app/app/
CMD ["celery", "-A", "auth", "worker", "--loglevel=info"]
