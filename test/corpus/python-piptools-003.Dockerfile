# check=skip=JSONArgsRecommended
FROM python:3.9-slim-bookworm
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
COPY constraints.txt ./
RUN pip install --no-cache-dir --require-hashes -r constraints.txt
COPY --link src ./src
CMD python -m search
