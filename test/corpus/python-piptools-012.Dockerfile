# syntax=docker/dockerfile:1
FROM python:3.11-slim-bookworm
ENV PYTHONFAULTHANDLER 1
ENV PIP_NO_CACHE_DIR 1
ENV LANG C.UTF-8
ENV PYTHONUNBUFFERED 1
WORKDIR /app
COPY requirements/prod.txt ./requirements/
RUN pip install -r requirements/prod.txt --index-url https://packages.example.com/simple --trusted-host packages.example.com
COPY --link src ./src
RUN useradd -m -u 1000 appuser
USER appuser
CMD ["uvicorn", "search.main:app", "--host", "0.0.0.0", "--port", "5000"]
