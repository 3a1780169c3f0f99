"""psikg in front of a SPARQL 1.1 engine it does not run (``PSIKG_ENGINE_URL``): Virtuoso,
a remote Oxigraph, or any server of the Query, Update and Graph Store protocols.

:mod:`graph.remote.store` is the store (a :class:`graph.store_api.StoreWriter`),
:mod:`graph.remote.protocol` how it talks to the engine (through the engine's client,
:mod:`graph.engine.client`), :mod:`graph.remote.dialects` what differs between engines,
:mod:`graph.remote.pages` its paged reads, :mod:`graph.remote.digest` HTTP Digest for
writes. ``docs/engines.md`` says how to set one up.
"""
