# syntax=docker/dockerfile:1.7
ARG PYTHON_BASE=3.9-slim
FROM python:$PYTHON_BASE AS builder
RUN pip install --no-cache-dir pdm==2.14.4
ENV PDM_CHECK_UPDATE=false
COPY pyproject.toml pdm.lock README.md /project/
WORKDIR /project
RUN pdm install

FROM python:$PYTHON_BASE
COPY --from=builder /project/.venv/ /project/.venv
ENV PATH="/project/.venv/bin:$PATH"
COPY src /project/src
WORKDIR /project
ENTRYPOINT ["/app/docker-entrypoint.sh"]
CMD ["serve"]
