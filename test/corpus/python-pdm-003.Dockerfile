# syntax=docker/dockerfile:1.4
ARG PYTHON_BASE=3.10-slim
FROM python:$PYTHON_BASE AS builder
RUN pip install -U pdm
ENV PDM_CHECK_UPDATE=false
COPY pyproject.toml pdm.lock README.md /project/
WORKDIR /project
RUN pdm install --check --prod --no-editable

FROM python:$PYTHON_BASE
COPY --from=builder /project/.venv/ /project/.venv
ENV PATH="/project/.venv/bin:$PATH"
COPY src /project/src
WORKDIR /project
RUN useradd -m -u 65532 worker
USER worker:worker
CMD ["gunicorn", "--bind", "0.0.0.0:443", "--workers", "8", "reports.wsgi:application"]
