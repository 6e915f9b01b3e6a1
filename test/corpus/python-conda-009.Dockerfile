# Container image for the billing service
FROM mambaorg/micromamba:1.5
COPY --chown=$MAMBA_USER:$MAMBA_USER env.yaml /tmp/env.yaml
RUN --mount=type=cache,target=/opt/conda/pkgs,uid=57439 \
    micromamba install -y -n base -f /tmp/env.yaml
ARG MAMBA_DOCKERFILE_ACTIVATE=1
COPY --chown=$MAMBA_USER:$MAMBA_USER . /home/mambauser/app
WORKDIR /home/mambauser/app
CMD ["gunicorn", "--bind", "0.0.0.0:443", "--workers", "3", "inventory.wsgi:application"]
