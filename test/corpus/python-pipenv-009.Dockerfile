# syntax=docker/dockerfile:1.4
# Builds the reports service
FROM python:3.13
ENV PYTHONFAULTHANDLER=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
RUN pip install pipenv
WORKDIR /app
COPY . .
RUN pipenv install
USER root
CMD exec gunicorn notifier.app:create_app\(\) -b :443
