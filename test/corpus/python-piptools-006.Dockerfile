# syntax=docker/dockerfile:1.4
FROM python:3.13-slim AS compile
RUN pip install --no-cache-dir pip-tools==7.4.0
WORKDIR /src
COPY requirements.in .
RUN pip-compile --generate-hashes --output-file requirements.lock requirements.in

FROM python:3.13-slim
WORKDIR /app
COPY --from=compile /src/requirements.lock ./
RUN pip install --no-cache-dir --require-hashes --no-deps -r requirements.lock
COPY src/ ./src/
RUN addgroup -S worker && adduser -S -G worker -u 1000 worker
USER worker
CMD ["python", "manage.py", "runserver", "0.0.0.0:443"]
