# syntax=docker/dockerfile:1.7-labs
FROM opensuse/leap:15.5
RUN zypper install -y python311 python311-pip && zypper clean -a
COPY . /srv/app
WORKDIR /srv/app
CMD ["python3", "app.py"]
