FROM harbor.internal.example.net/ubi9/ubi-minimal:latest
RUN microdnf update -y && microdnf install -y tar gzip
WORKDIR /opt/app-root/src
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
USER 1001
ENTRYPOINT ["python", "-m", "ledger"]
CMD ["--port", "8080"]
