# syntax=docker/dockerfile:1.7-labs
# Builds the orders service
FROM python:3.11-slim AS build
RUN python -m venv /venv
COPY requirements.txt /requirements.txt
RUN /venv/bin/pip install --disable-pip-version-check --no-cache-dir -r /requirements.txt

FROM harbor.internal.example.net/distroless/python3-debian12:latest
COPY --from=build /venv /venv
COPY . /app
WORKDIR /app
CMD ["main.py"]
