from python as Build
RUN --mount=type=secret,id=netrc,target=/root/.netrc pip install private-pkg
RUN wget https://downloads.example.com/a && curl -O https://downloads.example.com/b
RUN go get example.com/tool
RUN echo $((1+2)) > /n
RUN mkdir /app; cd /app; git clone https://git.example.com/x.git
COPY *.py /app
COPY --from=nonexistent /x /x
RUN yum install httpd
CMD python app.py
CMD ["python", "other.py"]
