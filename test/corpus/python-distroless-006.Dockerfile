# syntax=docker/dockerfile:1.4
FROM python:3.11-slim AS build
RUN python -m venv /venv
COPY requirements.txt /requirements.txt
RUN /venv/bin/pip install --disable-pip-version-check --no-cache-dir -r /requirements.txt

FROM harbor.internal.example.net/distroless/python3-debian12@sha256:67e026d53c429cd4463cf43b517fb45dc60becc3ccea900b6fdab8b9974dcdc5
COPY --from=build /venv /venv
COPY . /app
WORKDIR /app
ENTRYPOINT /venv/bin/python3 main.py
