FROM python
RUN apt-get install python3
run echo lowercase
RUN zypper install nginx
RUN ln -s /bin/bash /bin/sh
EXPOSE 8080/TCP
RUN wget https://downloads.example.com/a && curl -O https://downloads.example.com/b
