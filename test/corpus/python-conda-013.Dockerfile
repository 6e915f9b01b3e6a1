FROM continuumio/miniconda3:24.5.0-0
WORKDIR /app
COPY environment.yml .
RUN conda env update -n base -f environment.yml
COPY . .
ENTRYPOINT ["conda", "run", "--no-capture-output", "-n", "ingest", "python", "-m", "ingest"]
