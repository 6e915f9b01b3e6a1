FROM continuumio/miniconda3:24.5.0-0
WORKDIR /app
COPY environment.yml .
RUN conda install -y -c conda-forge numpy=1.26 pandas scikit-learn && conda clean -afy
SHELL ["conda", "run", "-n", "inventory", "/bin/bash", "-c"]
COPY . .
ENTRYPOINT ["conda", "run", "--no-capture-output", "-n", "inventory", "python", "-m", "inventory"]
