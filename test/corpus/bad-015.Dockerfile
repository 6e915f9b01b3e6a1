FROM python
RUN --mount=type=cache,target=/root/.cache/uv uv sync --locked
RUN shutdown -h now
RUN --network=none pip install flask
RUN --mount=type=tmpfs,target=/tmp make
RUN yum install httpd
RUN ln -s /bin/bash /bin/sh
RUN npm install express
run echo lowercase
RUN echo $((1+2)) > /n
