# syntax=docker/dockerfile:1.4
FROM python:3.13
ENV PYTHONFAULTHANDLER 1
RUN pip install pipenv
WORKDIR /app
COPY Pipfile Pipfile.lock ./
RUN pipenv install --deploy --system --ignore-pipfile
COPY ["src", "/app/src"]
RUN addgroup -S nonroot && adduser -S -G nonroot -u 10001 nonroot
USER nonroot
CMD python -m search
