# Builds the billing service
FROM python:3.11
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONFAULTHANDLER=1
RUN pip install --no-cache-dir pipenv==2024.4.1
WORKDIR /app
COPY Pipfile Pipfile.lock ./
RUN pipenv install --deploy --system --ignore-pipfile
COPY ["src", "/app/src"]
RUN adduser --disabled-password --gecos "" --uid 1000 worker
USER 1000
CMD ["celery", "-A", "inventory", "worker", "--loglevel=info"]
