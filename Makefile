# psikg: every set-up and check a fresh clone needs. `make help` lists the targets.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STORE ?= psikg-store
SHARED ?= ../shared

CHROMIUM ?= /usr/bin/chromium
VIRTUOSO ?= /usr/bin/virtuoso-t

.PHONY: help setup demo test lint conformance dcat-ap-shapes docs clean bench-queries bench-harvest bench-harvest-shapes browser bench-convert bench-parts examples bench-endpoint bench-served-load bench-soak virtuoso bench-backup bench-search bench-catalog bench-compliance bench-engines bench-engine-memory bench-many-graphs

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(BIN)/psikg: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,docs]'
	@touch $@

setup: $(BIN)/psikg node_modules/.package-lock.json docs/ontology.html  ## create .venv with the psikg command in it, install the UI's npm packages, write the ontology's docs

# The query UI's browser assets (YASGUI) and the tests' JavaScript SPARQL client
# (Comunica), from package.json and its lock file, into node_modules/ (git-ignored); the
# endpoint serves the assets from there. npm's own marker file
# is newer than the lock file once `npm ci` has run.
node_modules/.package-lock.json: package.json package-lock.json
	@command -v npm >/dev/null || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y npm; }
	npm ci --ignore-scripts --no-audit --no-fund
	@touch $@

docs/ontology.html: ontology/psi.ttl docs/ontology_html.py | $(BIN)/psikg
	$(BIN)/python docs/ontology_html.py

# Debian's Chromium for the browser tests (Playwright drives it; no browser download).
$(CHROMIUM):
	apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium

browser: setup $(CHROMIUM)  ## install what the browser tests need: npm packages and Debian's Chromium

# Debian's Virtuoso for the tests of psikg in front of another engine (tests/virtuoso_server.py
# starts its own instance on loopback; the package's service is never started).
$(VIRTUOSO):
	apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y virtuoso-opensource

virtuoso: $(VIRTUOSO)  ## install what the engine tests need: Debian's virtuoso-opensource

demo: setup  ## load the sample data, validate it, print the store's statistics and serve it on http://127.0.0.1:8000/ (Ctrl-C stops)
	$(BIN)/psikg --store $(STORE) demo

test: setup browser virtuoso  ## run ruff, mypy (strict) and the whole test suite (doctests included), on every core
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/pytest -n auto --dist loadfile

lint: setup  ## ruff only
	$(BIN)/ruff check .

# SEMIC's DCAT-AP 3.0.1 and HVD 3.0.0 shapes (CC BY 4.0, pinned to commits that hold
# the same files as ../shared/conformance) and the vocabularies whose class hierarchies they need, from
# their publishers, into $(DCAT_AP_SHAPES) (git-ignored): what `psikg serve --dcat-ap-shapes`
# reads for the dcat-ap and hvd profiles of /validate. psikg ships none of them.
DCAT_AP_SHAPES ?= .dcat-ap
SEMIC_RAW := https://raw.githubusercontent.com/SEMICeu/DCAT-AP
dcat-ap-shapes:  ## fetch SEMIC's DCAT-AP and HVD shapes and the W3C, DCMI and FOAF vocabularies into $(DCAT_AP_SHAPES) for /validate
	mkdir -p $(DCAT_AP_SHAPES)/3.0.1/shacl $(DCAT_AP_SHAPES)/3.0.0-hvd/shacl $(DCAT_AP_SHAPES)/imports-offline
	curl -fsSL -o $(DCAT_AP_SHAPES)/3.0.1/shacl/dcat-ap-SHACL.ttl $(SEMIC_RAW)/07617929252ed57f98ebdf87c8f87a7a63e7bd59/releases/3.0.1/shacl/dcat-ap-SHACL.ttl
	curl -fsSL -o $(DCAT_AP_SHAPES)/3.0.0-hvd/shacl/hvd-SHACL.ttl $(SEMIC_RAW)/1445b0bd21bfd88dd77a02ba2ec1cca5ca81fa87/releases/3.0.0-hvd/shacl/hvd-SHACL.ttl
	cd $(DCAT_AP_SHAPES)/imports-offline && \
	  curl -fsSL -o dcat.ttl https://www.w3.org/ns/dcat.ttl && \
	  curl -fsSL -o dublin-core-terms.ttl https://www.dublincore.org/specifications/dublin-core/dcmi-terms/dublin_core_terms.ttl && \
	  curl -fsSL -o foaf.rdf http://xmlns.com/foaf/spec/index.rdf && \
	  curl -fsSL -o skos.rdf https://www.w3.org/2009/08/skos-reference/skos.rdf && \
	  curl -fsSL -o prov-o.ttl https://www.w3.org/ns/prov.ttl && \
	  curl -fsSL -o time.ttl https://www.w3.org/2006/time.ttl

conformance: setup virtuoso  ## run the public suites of ../shared/conformance and print a score line for each
	$(BIN)/python -m tests.conformance --shared $(SHARED)
	PSIKG_SHARED=$(SHARED) $(BIN)/pytest -q -m conformance

docs: setup  ## generate the ontology's HTML documentation (docs/ontology.html), docs/registers.md and the register templates of examples/templates/
	$(BIN)/python docs/ontology_html.py
	$(BIN)/python docs/registers_md.py

bench-queries: setup  ## budget canned queries on a generated registry, psikg vs plain SPARQL (ROWS=1000000)
	$(BIN)/python bench/queries.py --rows $${ROWS:-1000000}

clean:  ## remove the virtual environment and the default store
	rm -rf $(VENV) $(STORE)

bench-harvest: setup  ## harvest a generated catalog of 20,000 datasets from 127.0.0.1, paged and not; print datasets/s and the unchanged re-harvest time
	$(BIN)/python -m bench.harvest

bench-harvest-shapes: setup  ## harvest and score exports shaped like ArcGIS Hub and GeoNetwork, and the real feeds of ../shared/realdata/dcat; print seconds per 1,000 datasets
	$(BIN)/python -m bench.harvest_shapes --shared $(SHARED)

bench-convert: setup  ## CSV registry to a validated store (ROWS=1000000 RUNS=3): psikg vs Morph-KGC + bulk_load vs bare bulk_load, bulk_load + optimize, and the store floor (psikg's parts + optimize)
	$(BIN)/python bench/convert.py --rows $(or $(ROWS),1000000) --runs $(or $(RUNS),3)

bench-parts: setup  ## the store's cost of each part size (ROWS=1000000 RUNS=2): load + optimize CPU and peak RSS, to choose PART_BYTES
	$(BIN)/python bench/parts.py --rows $(or $(ROWS),1000000) --runs $(or $(RUNS),2)

examples: setup  ## regenerate the sample registries of examples/ (deterministic)
	$(BIN)/python examples/generate.py

bench-compliance: setup  ## the compliance dashboard on a store of 50 bodies (BODIES=50): embedded and through psikg serve
	$(BIN)/python bench/compliance.py --bodies $(or $(BODIES),50)

bench-served-load: setup  ## a registry (ROWS=100000) loaded through a running psikg serve against the same load offline, first load and reload
	$(BIN)/python bench/served_load.py --rows $(or $(ROWS),100000)

bench-soak: setup  ## 16 clients of mixed traffic for 60 s while a register (ROWS=100000) is reloaded and a portal harvested through psikg serve: p50/p99 per kind, errors, consistency, memory
	$(BIN)/python bench/soak.py --rows $(or $(ROWS),100000)

bench-engine-memory: setup  ## the engine's memory across RELOADS=5 reloads of a register (ROWS=100000) through psikg serve; GLIBC=1: glibc's allocator defaults
	$(BIN)/python bench/engine_memory.py --rows $(or $(ROWS),100000) --reloads $(or $(RELOADS),5) $(if $(GLIBC),--glibc-defaults)

bench-backup: setup  ## backups of a served store (TRIPLES=500000) while readers query: the engine's pause, reader latencies and errors
	$(BIN)/python bench/backup.py --triples $(or $(TRIPLES),500000)

bench-endpoint: setup  ## psikg serve vs oxigraph serve-read-only, 1M-row registry (ROWS, DURATION_S), wrk at 1/8/32 clients
	@command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(BIN)/python bench/endpoint.py --rows $(or $(ROWS),1000000) --duration-s $(or $(DURATION_S),20)

bench-engines: setup virtuoso  ## psikg on the embedded store and on Virtuoso (ROWS=1000000 RUNS=3): load, canned budget queries, ad-hoc aggregates, IRI lookups at 8 clients
	@command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(BIN)/python bench/engines.py --rows $(or $(ROWS),1000000) --runs $(or $(RUNS),3)

bench-many-graphs: setup virtuoso  ## psikg on Virtuoso from 1 to 1,000 graphs: an IRI lookup, with the graphs in the query or as protocol fields, and the list of graphs
	$(BIN)/python bench/many_graphs.py

bench-search: setup  ## the catalog's full-text search at DATASETS=100000 datasets: index build time, median search time
	$(BIN)/python -m bench.search --datasets $(or $(DATASETS),100000)

bench-catalog: setup  ## the catalog page's p50/p99 under 16 clients on the demo plus a ROWS=50000 register, beside an IRI lookup
	$(BIN)/python -m bench.catalog_latency --rows $(or $(ROWS),50000)
