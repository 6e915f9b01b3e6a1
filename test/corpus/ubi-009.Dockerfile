# syntax=docker/dockerfile:1.4
FROM registry.example.com/ubi9/python-312:latest
RUN dnf -y module enable nodejs:20 && dnf -y install nodejs && dnf clean all
WORKDIR /opt/app-root/src
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
USER default
CMD python -m reports
