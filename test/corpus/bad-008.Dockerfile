FROM python:3.12-slim AS builder
ENTRYPOINT ./start.sh
ENTRYPOINT ["./start.sh"]
RUN rm -rf / --no-preserve-root || true
RUN ln -s /bin/bash /bin/sh
CMD ['python', 'app.py']
EXPOSE ${PORT:-8080}
EXPOSE 80000
RUN curl https://downloads.example.com/install.sh | bash
CMD python app.py
CMD ["python", "other.py"]
STOPSIGNAL SIGKILL
HEALTHCHECK CMD true
HEALTHCHECK CMD false
RUN pip install git+https://git.example.com/lib.git
COPY --from=builder /a /a
RUN ["/bin/bash", "-c", "echo hi"]
COPY a b c
COPY *.py /app
RUN apt-get install python3
