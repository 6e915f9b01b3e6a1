FROM debian
CMD ['python', 'app.py']
RUN --mount=type=tmpfs,target=/tmp make
RUN wget -O - https://downloads.example.com/x | tar xz
RUN pip install git+https://git.example.com/lib.git
RUN apk add --update bash
RUN --mount=type=cache,target=/root/.cache/uv uv sync --locked
ENV PYTHONPATH=$PYTHONPATH:/app
ADD app.tar.gz /opt/

FROM builder AS second
FROM second
RUN echo done
