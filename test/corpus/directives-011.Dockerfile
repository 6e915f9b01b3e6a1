# check=skip=JSONArgsRecommended,StageNameCasing
# syntax=docker/dockerfile:1.7-labs
FROM python:3.11-slim AS Base
WORKDIR /app
COPY --exclude=*.md --exclude=tests . /app
RUN pip install --no-cache-dir .
CMD ["python", "-m", "app"]
