FROM python:3.11
ENV PYTHONFAULTHANDLER=1
RUN pip install pipenv
WORKDIR /app
COPY Pipfile* ./
RUN pipenv install --dev --system
COPY . .
RUN adduser --disabled-password --gecos "" --uid 1001 appuser
USER appuser:appuser
CMD ["pipenv", "run", "python", "-m", "ingest"]
