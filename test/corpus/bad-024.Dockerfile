FROM python:3.12-slim AS builder
STOPSIGNAL 9
ARG PASSWORD=hunter2
RUN shutdown -h now
RUN pip install flask
RUN uv pip install -r pyproject.toml
RUN uv sync
RUN npm install express
ENV PATH $PATH:/opt/bin
RUN wget https://downloads.example.com/a && curl -O https://downloads.example.com/b
RUN echo $((1+2)) > /n
RUN --mount=type=cache,target=/root/.cache/pip,uid=1000 pip install -r requirements.txt
ENV SECRET_KEY=supersecret
RUN pip install -r requirements-dev.txt
RUN pip install git+https://git.example.com/lib.git
