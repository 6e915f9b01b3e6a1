ARG PYTHON_BASE=3.13-slim
FROM python:$PYTHON_BASE AS builder
RUN python -m pip install pdm
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
CMD exec gunicorn billing.app:create_app\(\) -b :8501
