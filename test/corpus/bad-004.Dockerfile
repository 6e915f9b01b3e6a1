FROM python:3.12-slim AS builder
COPY id_rsa /root/.ssh/id_rsa
STOPSIGNAL 9
COPY --from=builder /a /a
COPY .git /app/.git
RUN pip install git+https://git.example.com/lib.git
RUN uv pip install -r pyproject.toml
RUN cd /app && make
COPY package.json yarn.lock /app
RUN gem install rails
COPY a b c
CMD python app.py
CMD ["python", "other.py"]
VOLUME /data /logs
FROM builder AS builder
