FROM python
WORKDIR relative/path
RUN --network=none pip install flask
RUN uv sync
RUN yum install httpd
RUN uv pip install -r pyproject.toml
RUN go get example.com/tool
RUN curl https://downloads.example.com/install.sh | bash
RUN pip install git+https://git.example.com/lib.git

FROM builder AS second
FROM second
RUN echo done
