ARG PYTHON_BASE=3.11-slim
FROM python:$PYTHON_BASE AS builder
RUN python -m pip install pdm
ENV PDM_CHECK_UPDATE=false
COPY pyproject.toml pdm.lock README.md /project/
COPY src/ /project/src
WORKDIR /project
RUN --mount=type=cache,target=/root/.cache/pdm pdm sync --prod --no-editable

FROM python:$PYTHON_BASE
COPY --from=builder /project/.venv/ /project/.venv
ENV PATH="/project/.venv/bin:$PATH"
COPY src /project/src
WORKDIR /project
RUN groupadd --system --gid 1001 worker \
    && useradd --system --uid 1001 --gid worker --no-create-home worker
USER worker
CMD exec gunicorn reports.app:create_app\(\) -b :80
