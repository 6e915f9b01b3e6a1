# check=skip=all
FROM python:3.11-slim AS build
RUN python -m venv /venv
COPY requirements.txt /requirements.txt
RUN /venv/bin/pip install --disable-pip-version-check --no-cache-dir -r /requirements.txt

FROM registry.example.com/distroless/python3-debian12@sha256:06d5ca4556e9efb52c2d75544e2de3c29db351b73607440b600edef2bf27850a
COPY --from=build /venv /venv
COPY . /app
WORKDIR /app
ENTRYPOINT /venv/bin/python3 main.py
