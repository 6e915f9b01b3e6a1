# syntax=docker/dockerfile:1.7
# check=skip=StageNameCasing,FromAsCasing
FROM python:3.11-slim-bookworm
ADD https://artifacts.internal.example.net/files/uv/0.4.5/install.sh /uv-installer.sh
RUN sh /uv-installer.sh && rm /uv-installer.sh
ENV UV_LINK_MODE=copy \
    UV_COMPILE_BYTECODE=1 \
    UV_PROJECT_ENVIRONMENT=/opt/venv
WORKDIR /app
RUN --mount=type=cache,target=/home/app/.cache/uv \
 --mount=type=bind,source=uv.lock,target=uv.lock \
 --mount=type=bind,source=pyproject.toml,target=pyproject.toml \
 uv sync --frozen --no-install-project --only-group=prod
COPY . /app
RUN --mount=type=cache,target=/home/app/.cache/uv \
    uv sync --frozen --only-group=prod
ENV PATH="/app/.venv/bin:$PATH"
RUN adduser --disabled-password --gecos "" --uid 1001 app
USER app:app
WORKDIR /app
ENTRYPOINT ["/app/docker-entrypoint.sh"]
CMD ["serve"]
