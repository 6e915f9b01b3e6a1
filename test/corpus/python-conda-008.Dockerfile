# Builds the reports service
FROM mambaorg/micromamba:1.5
COPY --chown=$MAMBA_USER:$MAMBA_USER env.yaml /tmp/env.yaml
RUN micromamba install -y -n base -f /tmp/env.yaml && \
    micromamba clean --all --yes
ARG MAMBA_DOCKERFILE_ACTIVATE=1
COPY --chown=$MAMBA_USER:$MAMBA_USER . /home/mambauser/app
WORKDIR /home/mambauser/app
CMD ["uvicorn", "reports.main:app", "--host", "0.0.0.0", "--port", "50051"]