FROM cr.corp.example/ubi9/python-312:8.10
RUN yum -y install python3 && rm -rf /var/cache/yum
WORKDIR /opt/app-root/src
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .

CMD exec gunicorn ingest.app:create_app\(\) -b :8080
