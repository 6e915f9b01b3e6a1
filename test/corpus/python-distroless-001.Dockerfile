FROM python:3.11-slim AS build
RUN python -m venv /venv
COPY requirements.txt /requirements.txt
RUN /venv/bin/pip install --disable-pip-version-check --no-cache-dir -r /requirements.txt

FROM harbor.internal.example.net/distroless/python3-debian12@sha256:752ea6f555ead73ab0adf9aaeab01f3d5290fa3c2809b0f75667b12a6dbbf04d
COPY --from=build /venv /venv
COPY . /app
WORKDIR /app
ENTRYPOINT ["/venv/bin/python3", "main.py"]
