FROM opensuse/leap:15.5
RUN zypper install python3
COPY . /srv/app
WORKDIR /srv/app
CMD ["python3", "app.py"]
