# Dockerfile for the gateway service
FROM python:3.12
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONFAULTHANDLER=1 \
    LANG=C.UTF-8
RUN pip install --no-cache-dir pipenv==2024.2.0
WORKDIR /app
COPY . .
RUN pipenv install
RUN groupadd --system --gid 1000 appuser \
    && useradd --system --uid 1000 --gid appuser --no-create-home appuser
USER appuser
CMD ["pipenv", "run", "python", "-m", "orders"]
