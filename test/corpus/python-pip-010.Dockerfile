# syntax=docker/dockerfile:1-labs
ARG BASE_IMAGE=python:3.13-slim
FROM ${BASE_IMAGE}
ENV PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /usr/src/app
RUN pip install "pydantic>=3.0"
COPY . /app
RUN addgroup -S appuser && adduser -S -G appuser -u 10001 appuser
USER appuser
EXPOSE 8443
ENTRYPOINT ["python", "-m", "orders"]
CMD ["--port", "8443"]
