# syntax=docker/dockerfile:1-labs
FROM python:3.12-slim
ADD https://downloads.example.com/uv/0.6.2/install.sh /uv-installer.sh
RUN sh /uv-installer.sh && rm /uv-installer.sh
ENV UV_COMPILE_BYTECODE=1 \
    UV_PYTHON_DOWNLOADS=0
WORKDIR /app
RUN --mount=type=cache,target=/root/.cache/uv \
 --mount=type=bind,source=uv.lock,target=uv.lock \
 --mount=type=bind,source=pyproject.toml,target=pyproject.toml \
 uv sync --frozen --no-install-project --no-dev
COPY . /app
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev
ENV PATH="/app/.venv/bin:$PATH"
RUN useradd -m -u 10001 svc
USER svc
WORKDIR /app
ENTRYPOINT ["/app/docker-entrypoint.sh"]
CMD ["serve"]
