# syntax=docker/dockerfile:1-labs
FROM opensuse/leap:15.5
RUN zypper refresh && zypper update -y
COPY . /srv/app
WORKDIR /srv/app
CMD ["python3", "app.py"]
