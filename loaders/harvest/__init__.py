"""Harvesting DCAT-AP catalogs of other portals into psikg.

``psikg harvest`` reads a source (a DCAT file, an HTTP(S) catalog with Hydra or
``?page=`` paging, or a SPARQL endpoint), repairs what real portals get wrong,
and stores each source in its own named graph with a report graph beside it.

The modules, in the order a harvest uses them: :mod:`.config` (sources and
``harvest.toml``), :mod:`.fetch` (safe conditional GETs), :mod:`.sparql`,
:mod:`.document` (parsing into the working graph), :mod:`.vocabulary` and
:mod:`.repairs`, :mod:`.report`, :mod:`.links` (one dataset on two portals),
and :mod:`.run`, which ties them together.
"""
