# syntax=docker/dockerfile:1.7
ARG PYTHON_BASE=3.13-slim
FROM python:$PYTHON_BASE AS builder
RUN pip install --no-cache-dir pdm==2.19.0
ENV PDM_CHECK_UPDATE=false
COPY pyproject.toml pdm.lock README.md /project/
COPY src/ /project/src
WORKDIR /project
RUN pdm export --prod -o requirements.txt && pip install -r requirements.txt

FROM python:$PYTHON_BASE
COPY --from=builder /project/.venv/ /project/.venv
ENV PATH="/project/.venv/bin:$PATH"
COPY src /project/src
WORKDIR /project
RUN addgroup -S appuser && adduser -S -G appuser -u 1000 appuser
USER appuser
CMD exec gunicorn ledger.app:create_app\(\) -b :8080
