# syntax=docker/dockerfile:1
FROM registry.example.com/ubi9/python-311:1-77
USER 0
RUN dnf install -y --setopt=tsflags=nodocs libpq && dnf clean all
USER 1001
WORKDIR /opt/app-root/src
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .

CMD ["uvicorn", "orders.main:app", "--host", "0.0.0.0", "--port", "8080"]
