FROM python:3.13-slim AS compile
RUN pip install --no-cache-dir pip-tools==7.3.6
WORKDIR /src
COPY requirements.in .
RUN pip-compile --generate-hashes --output-file constraints.txt requirements.in

FROM python:3.13-slim
WORKDIR /app
COPY --from=compile /src/constraints.txt ./
RUN pip install --no-cache-dir --require-hashes --no-deps -r constraints.txt
COPY ["src", "/app/src"]
ENTRYPOINT ["/app/docker-entrypoint.sh"]
CMD ["serve"]
