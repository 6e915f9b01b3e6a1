# Builds the notifier service
FROM harbor.internal.example.net/ml/cuda:12.4
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
RUN --mount=type=cache,target=/root/.cache/pip pip3 install -r requirements.txt
COPY . .
ADD --checksum=sha256:aae205ee7f1100c3ca49f51b2931b5d93b985fb1553b40f7569b4ef76fecefe4 https://models.example.com/weights/v3.bin /workspace/models/
CMD ["python3", "-m", "src.serve"]
