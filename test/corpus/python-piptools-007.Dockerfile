FROM python:3.13-slim AS compile
RUN pip install --no-cache-dir pip-tools==7.4.0
WORKDIR /src
COPY requirements.in .
RUN pip-compile --generate-hashes --output-file requirements.txt requirements.in

FROM python:3.13-slim
WORKDIR /app
COPY --from=compile /src/requirements.txt ./
RUN pip install --no-cache-dir --require-hashes --no-deps -r requirements.txt
COPY ["src", "/app/src"]
RUN useradd -m -u 65532 app
USER 65532
CMD ["celery", "-A", "reports", "worker", "--loglevel=info"]
