# syntax=docker/dockerfile:1
# Container image for the notifier service
FROM python:3.9-slim AS compile
RUN pip install --no-cache-dir pip-tools==7.4.3
WORKDIR /src
COPY requirements.in .
RUN pip-compile --generate-hashes --output-file prod.txt requirements.in

FROM python:3.9-slim
WORKDIR /app
COPY --from=compile /src/prod.txt ./
RUN pip install --no-cache-dir --require-hashes --no-deps -r prod.txt
COPY --chown=app:app . .
RUN useradd -m -u 1001 svc
USER 1001:1001
CMD python -m auth
