# syntax=docker/dockerfile:1.4
# check=error=true
# Builds the notifier service
FROM continuumio/miniconda3:latest
WORKDIR /app
COPY environment.yml .
RUN conda env update -n base -f environment.yml
SHELL ["conda", "run", "-n", "ingest", "/bin/bash", "-c"]
COPY . .
ENTRYPOINT ["conda", "run", "--no-capture-output", "-n", "ingest", "python", "-m", "ingest"]
