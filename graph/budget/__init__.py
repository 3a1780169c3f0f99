"""The budget aggregates: sums of a registry's grants, computed while it loads and stored
beside it, so that the budget canned queries answer in a fraction of a second.

Why: on a registry of a million subsidies (ten million triples) Oxigraph needs tens of
seconds for a sum per granting body and year or a top ten of beneficiaries, however the
query is written. Each canned query that reads the aggregates carries the plain SPARQL it
stands for (``plain:`` in its header) and gives the same rows.

One unit, one way through it (arrows point down; no module imports one above it):

- :mod:`graph.budget.model`: what a grant is made of (its properties), the measures of a
  cell, exact decimal arithmetic;
- :mod:`graph.budget.tally`: the grants of a registry tallied from its N-Triples as they
  stream into the store;
- :mod:`graph.budget.cube`: the tallies written as an RDF Data Cube (N-Triples text);
- :mod:`graph.budget.staging`: the aggregates staged with the registry and committed in its
  transaction (``loaders.registry`` calls :func:`~graph.budget.staging.with_aggregates`);
- :mod:`graph.budget.freshness`: whether the stored aggregates match the registries in the
  store, and the endpoint's cache of that answer between writes.

The canned query runner (:mod:`graph.canned.run`) asks :mod:`graph.budget.freshness`
before it chooses the aggregates or the plain query; nothing here imports
:mod:`graph.canned`.
"""
