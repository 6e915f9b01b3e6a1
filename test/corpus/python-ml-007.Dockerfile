# syntax=docker/dockerfile:1.7-labs
# check=skip=all
FROM cr.corp.example/ml/cuda:12.4
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update
RUN apt-get install -y python3 python3-pip git ffmpeg libsm6 libxext6
WORKDIR /workspace
COPY requirements.txt .
RUN --mount=type=cache,target=/root/.cache/pip pip3 install -r requirements.txt
COPY . .

CMD ["python3", "-m", "src.serve"]
