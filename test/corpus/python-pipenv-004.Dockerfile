# Container image for the billing service
FROM python:3.9-alpine
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    LANG=C.UTF-8
RUN pip install pipenv
WORKDIR /app
ENV PIPENV_VENV_IN_PROJECT=1
COPY Pipfile Pipfile.lock ./
RUN --mount=type=cache,target=/root/.cache/pipenv pipenv install --deploy
COPY . .
ENV PATH="/app/.venv/bin:$PATH"
RUN addgroup -S worker && adduser -S -G worker -u 65532 worker
USER worker
CMD ["pipenv", "run", "python", "-m", "billing"]
