# Container image for the search service
FROM mirror.example.org:5000/ml/cuda:12.4
ENV DEBIAN_FRONTEND=noninteractive
RUN --mount=type=cache,target=/var/cache/apt,sharing=locked \
    --mount=type=cache,target=/var/lib/apt,sharing=locked \
    rm -f /etc/apt/apt.conf.d/docker-clean \
    && apt-get update \
    && apt-get install -y --no-install-recommends \
        python3 \
        python3-pip \
        git \
        ffmpeg \
        libsm6 \
        libxext6
WORKDIR /workspace
COPY requirements.txt .
RUN pip3 install --no-cache-dir torch torchvision --index-url https://wheels.example.com/cu121
COPY models/ ./models/
COPY src/ ./src/
ADD https://models.example.com/weights/v3.bin /workspace/models/
CMD ["python3", "-m", "src.serve"]
