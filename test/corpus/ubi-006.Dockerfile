# syntax=docker/dockerfile:1.7
FROM mirror.example.org:5000/ubi8/ubi-minimal:8.10
RUN microdnf install python3 && microdnf clean all
WORKDIR /opt/app-root/src
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
USER 1001
CMD ["gunicorn", "--bind", "0.0.0.0:8080", "--workers", "4", "notifier.wsgi:application"]