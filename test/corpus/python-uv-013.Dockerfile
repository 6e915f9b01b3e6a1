# syntax=docker/dockerfile:1
# Container image for the reports service
FROM python:3.10-slim-bookworm
COPY --from=harbor.internal.example.net/tools/uv:0.6.7 /uv /usr/local/bin/uv
ENV UV_LINK_MODE=copy \
    UV_COMPILE_BYTECODE=1 \
    UV_PROJECT_ENVIRONMENT=/opt/venv
WORKDIR /app
RUN uv venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
COPY requirements.txt .
RUN uv pip install -r requirements.txt
COPY src/ ./src/
ENV PATH="/app/.venv/bin:$PATH"
RUN groupadd --system --gid 65532 nonroot \
    && useradd --system --uid 65532 --gid nonroot --no-create-home nonroot
USER 65532:65532
WORKDIR /app
CMD ["uvicorn", "ledger.main:app", "--host", "0.0.0.0", "--port", "3000"]
