# syntax=docker/dockerfile:1
# check=skip=JSONArgsRecommended
FROM python:3.12-slim
ENV PIP_NO_CACHE_DIR=1 \
    PYTHONFAULTHANDLER=1 \
    PYTHONDONTWRITEBYTECODE=1
RUN pip install pipenv
WORKDIR /app
COPY Pipfile Pipfile.lock ./
RUN pipenv install --deploy --system --ignore-pipfile
COPY ["src", "/app/src"]
RUN adduser --disabled-password --gecos "" --uid 10001 worker
USER worker:worker
ENTRYPOINT ["python", "-m", "reports"]
CMD ["--port", "5000"]
