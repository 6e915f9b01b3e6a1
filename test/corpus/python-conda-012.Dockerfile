# Builds the orders service
FROM continuumio/miniconda3:latest
WORKDIR /app
COPY environment.yml .
RUN conda install numpy pandas
COPY . .
ENTRYPOINT ["conda", "run", "--no-capture-output", "-n", "auth", "python", "-m", "auth"]
