# syntax=docker/dockerfile:1.4
# check=skip=StageNameCasing,FromAsCasing
FROM python:3.9-slim-bookworm
COPY --from=harbor.internal.example.net/tools/uv:0.5.18 /uv /usr/local/bin/uv
ENV UV_LINK_MODE=copy \
    UV_COMPILE_BYTECODE=1 \
    UV_PYTHON_DOWNLOADS=0
WORKDIR /app
COPY pyproject.toml .
RUN uv pip install --system -r pyproject.toml
COPY --chown=app:app . .
ENV PATH="/app/.venv/bin:$PATH"
WORKDIR /app
EXPOSE 8501
CMD ["python", "manage.py", "runserver", "0.0.0.0:8501"]
