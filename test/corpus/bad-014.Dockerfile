from python as Build
STOPSIGNAL 9
COPY a b c
RUN pip install flask>=2.0 requests<3
VOLUME ["/data"]
RUN mkdir /app; cd /app; git clone https://git.example.com/x.git
RUN --mount=type=ssh git clone git@git.example.com:team/repo.git
RUN go get example.com/tool
RUN shutdown -h now
