FROM harbor.internal.example.net/ubi8/ubi-minimal:9.4
RUN microdnf install python3 && microdnf clean all
WORKDIR /opt/app-root/src
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
USER 1001
CMD exec gunicorn gateway.app:create_app\(\) -b :8080
