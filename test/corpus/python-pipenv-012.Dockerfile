FROM python:3.9-alpine
ENV PYTHONDONTWRITEBYTECODE=1 \
    LANG=C.UTF-8 \
    PIP_NO_CACHE_DIR=1
RUN pip install pipenv
WORKDIR /app
ENV PIPENV_VENV_IN_PROJECT=1
COPY Pipfile Pipfile.lock ./
RUN --mount=type=cache,target=/root/.cache/pipenv pipenv install --deploy
ADD . /app
ENV PATH="/app/.venv/bin:$PATH"
RUN groupadd --system --gid 10001 nonroot \
    && useradd --system --uid 10001 --gid nonroot --no-create-home nonroot
USER 10001:10001
CMD exec gunicorn billing.app:create_app\(\) -b :9000
