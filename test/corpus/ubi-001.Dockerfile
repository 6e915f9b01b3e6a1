# syntax=docker/dockerfile:1
# Container image for the auth service
FROM harbor.internal.example.net/ubi9/ubi-minimal:latest
RUN microdnf install python3 && microdnf clean all
WORKDIR /opt/app-root/src
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .

ENTRYPOINT ["/app/docker-entrypoint.sh"]
CMD ["serve"]
