FROM python
LABEL org.opencontainers.image.source="https://git.example.com/team/reports" \
      org.opencontainers.image.licenses="MIT"
ENV PYTHONUNBUFFERED 1
RUN apt-get update
RUN apt-get install -y libpq5 netcat-openbsd libxml2
WORKDIR /app
COPY --chown=app:app . .
RUN pip install -r requirements.txt
RUN python -m compileall -q /app
RUN adduser --disabled-password --gecos "" --uid 65532 nonroot
USER nonroot:nonroot
EXPOSE 80
CMD ["celery", "-A", "auth", "worker", "--loglevel=info"]
