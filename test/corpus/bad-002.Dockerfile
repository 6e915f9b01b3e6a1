FROM debian
RUN --network=none pip install flask
RUN sudo apt-get install -y vim
RUN go get example.com/tool
RUN cd /app && make
RUN --mount=type=cache,target=/root/.cache/pip,uid=1000 pip install -r requirements.txt
COPY --from=builder /a /a
RUN uv pip install -r pyproject.toml
ENTRYPOINT ./start.sh
ENTRYPOINT ["./start.sh"]
WORKDIR relative/path
RUN pip install git+https://git.example.com/lib.git
