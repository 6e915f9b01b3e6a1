# syntax=docker/dockerfile:1.4
# check=skip=SecretsUsedInArgOrEnv;error=true
FROM python
ENV PYTHONUNBUFFERED=1 PYTHONFAULTHANDLER=1
WORKDIR app
COPY requirements.txt .
RUN --mount=type=cache,target=/root/.cache/pip,sharing=locked \
    pip install -r requirements.txt
ADD . /app
RUN python -m compileall -q /app
RUN groupadd --system --gid 65532 appuser \
    && useradd --system --uid 65532 --gid appuser --no-create-home appuser
USER appuser
EXPOSE 50051
CMD ["uvicorn", "gateway.main:app", "--host", "0.0.0.0", "--port", "50051"]
