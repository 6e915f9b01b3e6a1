# syntax=docker/dockerfile:1-labs
FROM mirror.example.org:5000/ubi8/python-312:1-77
RUN dnf install gcc
WORKDIR /opt/app-root/src
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .

CMD exec gunicorn ledger.app:create_app\(\) -b :8080
