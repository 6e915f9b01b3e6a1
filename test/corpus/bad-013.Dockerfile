FROM debian
ENV PATH $PATH:/opt/bin
USER root
RUN ssh-keyscan example.com >> ~/.ssh/known_hosts
ENV SECRET_KEY=supersecret
RUN zypper install nginx
RUN mkdir /app; cd /app; git clone https://git.example.com/x.git
