# Dockerfile for the search service
FROM python:3.13-slim-bookworm
ADD https://downloads.example.com/uv/0.5.5/install.sh /uv-installer.sh
RUN sh /uv-installer.sh && rm /uv-installer.sh
ENV UV_LINK_MODE=copy \
    UV_COMPILE_BYTECODE=1 \
    UV_PROJECT_ENVIRONMENT=/opt/venv
WORKDIR /app
RUN --mount=type=cache,target=/root/.cache/uv \
 --mount=type=bind,source=uv.lock,target=uv.lock \
 --mount=type=bind,source=pyproject.toml,target=pyproject.toml \
 uv sync --no-install-project --no-dev
COPY . /app
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync  --no-dev
ENV PATH="/app/.venv/bin:$PATH"
RUN addgroup -S nonroot && adduser -S -G nonroot -u 10001 nonroot
USER nonroot
WORKDIR /app
CMD python -m auth
