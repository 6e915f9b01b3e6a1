# syntax=docker/dockerfile:1
# check=skip=JSONArgsRecommended
FROM condaforge/miniforge3:24.3.0-0 AS build
COPY environment.yml .
RUN conda env create -f environment.yml -p /env && conda clean -afy
RUN conda install -c conda-forge conda-pack && \
    conda-pack -p /env -o /tmp/env.tar && \
    mkdir /venv && cd /venv && tar xf /tmp/env.tar && \
    rm /tmp/env.tar && /venv/bin/conda-unpack

FROM debian:bookworm-slim AS runtime
COPY --from=build /venv /venv
COPY . /app
WORKDIR /app
SHELL ["/bin/bash", "-c"]
ENTRYPOINT source /venv/bin/activate && python -m orders
