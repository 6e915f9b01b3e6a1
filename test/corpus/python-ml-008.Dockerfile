# syntax=docker/dockerfile:1.4
# Builds the reports service
FROM nvidia/cuda:12.4.1-cudnn-runtime-ubuntu22.04
ENV DEBIAN_FRONTEND=noninteractive
RUN set -eux; \
    apt-get update; \
    apt-get install -y --no-install-recommends \
        python3 \
        python3-pip \
        git \
        ffmpeg \
        libsm6 \
        libxext6; \
    rm -rf /var/lib/apt/lists/*
WORKDIR /workspace
COPY requirements.txt .
RUN pip3 install --no-cache-dir torch torchvision --index-url https://wheels.example.com/cu121
COPY models/ ./models/
COPY src/ ./src/
ADD https://models.example.com/weights/v3.bin /workspace/models/
CMD ["python3", "-m", "src.serve"]
