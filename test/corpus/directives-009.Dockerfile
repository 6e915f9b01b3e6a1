# check=skip=JSONArgsRecommended,StageNameCasing
FROM python:3.12-slim AS Base
WORKDIR /app
COPY --chmod=0644 config/ /etc/app/
RUN pip install --no-cache-dir .
ENTRYPOINT python -m app
