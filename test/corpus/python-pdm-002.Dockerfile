ARG PYTHON_BASE=3.13-slim
FROM python:$PYTHON_BASE AS builder
RUN pip install -U pdm
ENV PDM_CHECK_UPDATE=false
COPY pyproject.toml pdm.lock README.md /project/
WORKDIR /project
RUN --mount=type=cache,target=/root/.cache/pdm pdm sync --prod --no-editable

FROM python:$PYTHON_BASE
COPY --from=builder /project/.venv/ /project/.venv
ENV PATH="/project/.venv/bin:$PATH"
COPY src /project/src
WORKDIR /project
RUN addgroup -S appuser && adduser -S -G appuser -u 10001 appuser
USER appuser
CMD ["python", "manage.py", "runserver", "0.0.0.0:8080"]
