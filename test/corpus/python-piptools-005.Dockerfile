# syntax=docker/dockerfile:1.7
# Container image for the auth service
FROM python:3.12-slim AS compile
RUN pip install --no-cache-dir pip-tools==7.1.7
WORKDIR /src
COPY requirements.in .
RUN pip-compile --generate-hashes --output-file prod.txt requirements.in

FROM python:3.12-slim
WORKDIR /app
COPY --from=compile /src/prod.txt ./
RUN pip install --no-cache-dir --require-hashes --no-deps -r prod.txt
COPY . /app
RUN adduser --disabled-password --gecos "" --uid 1000 app
USER app
CMD python -m inventory
