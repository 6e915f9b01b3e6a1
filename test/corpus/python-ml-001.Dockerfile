# Container image for the ingest service
FROM pytorch/pytorch:2.3.1-cuda12.1-cudnn8-runtime
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        python3 \
        python3-pip \
        git \
        ffmpeg \
        libsm6 \
        libxext6 \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /workspace
COPY requirements.txt .
RUN pip3 install -r requirements.txt
COPY models/ ./models/
COPY src/ ./src/
ADD https://models.example.com/weights/v3.bin /workspace/models/
CMD ["python3", "-m", "src.serve"]
