FROM python:3.9-slim AS compile
RUN pip install --no-cache-dir pip-tools==7.2.2
WORKDIR /src
COPY requirements.in .
RUN pip-compile --generate-hashes --output-file requirements.lock requirements.in

FROM python:3.9-slim
WORKDIR /app
COPY --from=compile /src/requirements.lock ./
RUN pip install --no-cache-dir --require-hashes --no-deps -r requirements.lock
RUN pip check
COPY app/ /app/app/
RUN groupadd --system --gid 1001 appuser \
    && useradd --system --uid 1001 --gid appuser --no-create-home appuser
USER 1001:1001
CMD exec gunicorn reports.app:create_app\(\) -b :3000
