# psikg: every set-up and check a fresh clone needs. `make help` lists the targets.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STORE ?= psikg-store
SHARED ?= ../shared

.PHONY: help setup demo test lint conformance docs clean bench-harvest bench-convert examples

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(BIN)/psikg: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,docs]'
	@touch $@

setup: $(BIN)/psikg  ## create .venv with the psikg command in it

demo: setup  ## load the sample data, validate it and print the store's statistics
	$(BIN)/psikg --store $(STORE) demo

test: setup  ## run ruff, mypy (strict) and the whole test suite (doctests included)
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/pytest

lint: setup  ## ruff only
	$(BIN)/ruff check .

conformance: setup  ## run the public suites of ../shared/conformance and print a score line for each
	$(BIN)/python -m tests.conformance --shared $(SHARED)
	PSIKG_SHARED=$(SHARED) $(BIN)/pytest -q -m conformance

docs: setup  ## generate the ontology's HTML documentation into docs/ontology.html
	$(BIN)/python docs/ontology_html.py

clean:  ## remove the virtual environment and the default store
	rm -rf $(VENV) $(STORE)

bench-harvest: setup  ## harvest a generated catalog of 20,000 datasets from 127.0.0.1, paged and not; print datasets/s and the unchanged re-harvest time
	$(BIN)/python -m bench.harvest

bench-convert: setup  ## CSV registry to a validated store (ROWS=1000000 RUNS=3): psikg vs Morph-KGC + bulk_load vs bare bulk_load
	$(BIN)/python bench/convert.py --rows $(or $(ROWS),1000000) --runs $(or $(RUNS),3)

examples: setup  ## regenerate the sample registries of examples/ (deterministic)
	$(BIN)/python examples/generate.py
