# syntax=docker/dockerfile:1
FROM python:3.11-slim
COPY --from=harbor.internal.example.net/tools/uv:0.5.16 /uv /usr/local/bin/uv
ENV UV_PROJECT_ENVIRONMENT=/opt/venv
WORKDIR /app
COPY requirements.txt .
RUN --mount=type=cache,target=/root/.cache/uv \
    uv pip install --system --no-cache -r requirements.txt
ADD . /app
ENV PATH="/app/.venv/bin:$PATH"
WORKDIR /app
ENTRYPOINT ["python", "-m", "billing"]
CMD ["--port", "80"]
