# Builds the search service
FROM condaforge/mambaforge
WORKDIR /app
COPY environment.yml .
RUN mamba env update -n base -f environment.yml
SHELL ["conda", "run", "-n", "reports", "/bin/bash", "-c"]
COPY . .
ENTRYPOINT ["conda", "run", "--no-capture-output", "-n", "reports", "python", "-m", "reports"]
