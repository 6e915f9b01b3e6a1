ARG PYTHON_BASE=3.12-slim
FROM python:$PYTHON_BASE AS builder
RUN python -m pip install pdm
ENV PDM_CHECK_UPDATE=false
COPY pyproject.toml pdm.lock README.md /project/
WORKDIR /project
RUN pdm install --frozen-lockfile --prod

FROM python:$PYTHON_BASE
COPY --from=builder /project/.venv/ /project/.venv
ENV PATH="/project/.venv/bin:$PATH"
COPY src /project/src
WORKDIR /project
ENTRYPOINT ["python", "-m", "inventory"]
CMD ["--port", "443"]
