FROM python
Copy . .
COPY a b c
STOPSIGNAL 9
ENTRYPOINT ./start.sh
ENTRYPOINT ["./start.sh"]
run echo lowercase
RUN ["/bin/bash", "-c", "echo hi"]
FROM builder AS builder
