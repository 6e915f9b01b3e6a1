# Builds the inventory service
FROM opensuse/leap:15.6
RUN zypper install -y python311 python311-pip && zypper clean -a
COPY . /srv/app
WORKDIR /srv/app
CMD ["python3", "app.py"]
