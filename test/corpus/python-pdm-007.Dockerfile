# syntax=docker/dockerfile:1-labs
ARG PYTHON_BASE=3.13-slim
FROM python:$PYTHON_BASE AS builder
RUN pip install --no-cache-dir pdm==2.11.0
ENV PDM_CHECK_UPDATE=false
COPY pyproject.toml pdm.lock README.md /project/
COPY src/ /project/src
WORKDIR /project
RUN pdm install --check --prod --no-editable

FROM python:$PYTHON_BASE
COPY --from=builder /project/.venv/ /project/.venv
ENV PATH="/project/.venv/bin:$PATH"
COPY src /project/src
WORKDIR /project
USER root
CMD ["uvicorn", "gateway.main:app", "--host", "0.0.0.0", "--port", "8000"]
