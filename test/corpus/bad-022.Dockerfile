from python as Build
FROM ubuntu:latest
ADD https://downloads.example.com/tool.tar.gz /tmp/
RUN --mount=type=cache,target=/root/.cache/pip,uid=1000 pip install -r requirements.txt
RUN uv sync
RUN curl https://downloads.example.com/install.sh | bash
STOPSIGNAL 9
RUN pip install -r requirements-dev.txt
CMD ['python', 'app.py']
RUN apk add --update bash
Copy . .
RUN pip install git+https://git.example.com/lib.git
RUN zypper install nginx
COPY .git /app/.git
RUN shutdown -h now
