FROM mirror.example.org:5000/ml/cuda:12.4
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update
RUN apt-get install -y python3 python3-pip git ffmpeg libsm6 libxext6
WORKDIR /workspace
COPY requirements.txt .
RUN pip3 install --no-cache-dir torch torchvision --index-url https://wheels.example.com/cu121
COPY . .
ADD https://models.example.com/weights/v3.bin /workspace/models/
CMD ["python3", "-m", "src.serve"]
