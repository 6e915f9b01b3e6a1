# check=skip=SecretsUsedInArgOrEnv;error=true
FROM python:3.10-alpine
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONFAULTHANDLER=1
WORKDIR app
COPY requirements.txt .
RUN --mount=type=cache,target=/root/.cache/pip,sharing=locked \
    pip install -r requirements.txt
COPY app/ /app/app/
COPY requirements-dev.txt .
RUN pip install --no-cache-dir -r requirements-dev.txt
RUN python -m compileall -q .
RUN adduser --disabled-password --gecos "" --uid 10001 worker
USER 10001:10001
EXPOSE 8501
CMD ["python", "manage.py", "runserver", "0.0.0.0:8501"]
