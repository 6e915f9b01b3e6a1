# syntax=docker/dockerfile:1.4
FROM python:3.12-slim AS build
RUN python -m venv /venv
COPY requirements.txt /requirements.txt
RUN /venv/bin/pip install --disable-pip-version-check --no-cache-dir -r /requirements.txt

FROM registry.example.com/distroless/python3-debian12@sha256:bc518467ea268c70f13b29be031e480cc04b47c75c90f66353edbc78eb43ffee
COPY --from=build /venv /venv
COPY . /app
WORKDIR /app
ENTRYPOINT ["/venv/bin/python3", "main.py"]
