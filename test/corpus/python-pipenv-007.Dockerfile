FROM python:3.9-alpine
ENV LANG C.UTF-8
ENV PYTHONUNBUFFERED 1
RUN python -m pip install --upgrade pip pipenv
WORKDIR /app
COPY . .
RUN pipenv install
RUN adduser --disabled-password --gecos "" --uid 65532 svc
USER svc:svc
ENTRYPOINT ["/app/docker-entrypoint.sh"]
CMD ["serve"]
