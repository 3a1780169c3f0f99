"""The query engine: ``oxigraph serve`` holding the store while ``psikg serve`` runs.

- :mod:`graph.engine.process` starts, watches and stops the engine process;
- :mod:`graph.engine.client` is how the endpoint talks to it (or to any store that speaks
  the SPARQL 1.1 Protocol and Graph Store Protocol);
- :mod:`graph.engine.serving` announces, beside the store, which ``psikg serve`` holds it,
  so that the command line works through that server;
- :mod:`graph.engine.served_store` is the store of a running ``psikg serve`` as the command
  line reads and loads it (:class:`graph.store_api.StoreWriter`);
- :mod:`graph.engine.loads` keeps the loads in flight through the server, whose graphs
  queries must not see.

Nothing else in psikg talks to the engine. The package imports none of its modules, so
that reading the announcement does not start the process machinery.
"""
