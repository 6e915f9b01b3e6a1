# Builds the search service
ARG PYTHON_BASE=3.13-slim
FROM python:$PYTHON_BASE AS builder
RUN pip install --no-cache-dir pdm==2.11.1
ENV PDM_CHECK_UPDATE=false
COPY pyproject.toml pdm.lock README.md /project/
WORKDIR /project
RUN pdm export --prod -o requirements.txt && pip install -r requirements.txt

FROM python:$PYTHON_BASE
COPY --from=builder /project/.venv/ /project/.venv
ENV PATH="/project/.venv/bin:$PATH"
COPY src /project/src
WORKDIR /project
RUN groupadd --system --gid 65532 nonroot \
    && useradd --system --uid 65532 --gid nonroot --no-create-home nonroot
USER 65532:65532
CMD python -m ledger
