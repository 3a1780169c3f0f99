# psikg: every set-up and check a fresh clone needs. `make help` lists the targets.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STORE ?= psikg-store
SHARED ?= ../shared

.PHONY: help setup demo test lint conformance docs clean

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

test: setup  ## run ruff and the whole test suite (doctests included)
	$(BIN)/ruff check .
	$(BIN)/pytest

lint: setup  ## ruff only
	$(BIN)/ruff check .

conformance: setup  ## run the public suites of ../shared/conformance and print a score line for each
	$(BIN)/python -m tests.conformance --shared $(SHARED)

docs: setup  ## generate the ontology's HTML documentation into docs/ontology.html
# pyLODE 3.4.1 reads its version from a pyproject.toml its wheel lacks (RDFLib/pyLODE#260), so
# its CLI cannot start: register pylode.version first. pyLODE joins all of a term's labels into one
# heading, so headings keep the English labels; definitions stay in fr, nl, de and en.
	@mkdir -p docs
	$(BIN)/python -c "import sys, types, importlib.metadata as md; \
	shim = types.ModuleType('pylode.version'); shim.__version__ = md.version('pylode'); \
	sys.modules['pylode.version'] = shim; \
	from pathlib import Path; from rdflib import Graph; from rdflib.namespace import DCTERMS, RDFS; \
	from pylode import OntPub; g = Graph().parse('ontology/psi.ttl'); \
	[g.remove(t) for p in (RDFS.label, DCTERMS.title) for t in list(g.triples((None, p, None))) \
	 if t[2].language not in (None, 'en')]; \
	OntPub(g).make_html(destination=Path('docs/ontology.html'))"

clean:  ## remove the virtual environment and the default store
	rm -rf $(VENV) $(STORE)
