# syntax=docker/dockerfile:1.7
# check=skip=StageNameCasing,FromAsCasing
FROM mirror.example.org:5000/ubi8/ubi:9.4
RUN dnf -y module enable nodejs:20 && dnf -y install nodejs && dnf clean all
WORKDIR /opt/app-root/src
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
USER 1001
ENTRYPOINT ["python", "-m", "auth"]
CMD ["--port", "8080"]
