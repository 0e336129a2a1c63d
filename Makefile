# The two commands a newcomer needs: `make demo` and `make test`.
# Each creates .venv on first use and installs the project into it.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint typecheck extract bench schemas clean help

help:
	@echo "make demo   - set up and run the main job on the embedded broker"
	@echo "make test   - set up and run linters, type checks and the test suite"
	@echo "make extract - extract events from the bundled seeds to out/events.jsonl"
	@echo "make bench  - run the benchmarks"

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
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

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_extract.py
	$(BIN)/python benchmarks/bench_pipeline.py

schemas: $(STAMP)
	$(BIN)/python -m schemas.generate
	$(BIN)/python -m streams.kafka.contract

clean:
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache
