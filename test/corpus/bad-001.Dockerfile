FROM python
RUN --network=none pip install flask
ENV PATH $PATH:/opt/bin
RUN apt-get dist-upgrade -y
RUN pip install flask>=2.0 requests<3
RUN shutdown -h now
ENV PYTHONPATH=$PYTHONPATH:/app
RUN --mount=type=ssh git clone git@git.example.com:team/repo.git

FROM builder AS second
FROM second
RUN echo done
