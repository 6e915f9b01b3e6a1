FROM python:3.12-bookworm
ENV PIP_NO_CACHE_DIR=1
WORKDIR /app
COPY ["src", "/app/src"]
RUN pip install -r requirements.txt
RUN groupadd --system --gid 10001 nonroot \
    && useradd --system --uid 10001 --gid nonroot --no-create-home nonroot
USER 10001:10001
EXPOSE 50051
CMD ["python", "manage.py", "runserver", "0.0.0.0:50051"]
