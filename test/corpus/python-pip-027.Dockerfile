FROM python:3.12-slim-bookworm
ENV PYTHONFAULTHANDLER=1
RUN apt-get update && apt-get install -y --no-install-recommends curl libxml2
WORKDIR app
COPY requirements.txt ./
RUN python3 -m pip install --no-cache-dir -r requirements.txt
COPY src/ ./src/
EXPOSE 8080
CMD ["celery", "-A", "ledger", "worker", "--loglevel=info"]
