"""Every outgoing request to a URL that a user or a document gave: one policy, one client.

- :mod:`loaders.http_fetch.policy` decides whether a URL may be reached (http(s) only,
  the host resolved once, every address checked: no loopback, private, link-local or
  reserved address unless allowed) and holds the limits (timeouts, deadline, size,
  redirects);
- :mod:`loaders.http_fetch.client` is the one client built on it (urllib3): it connects
  to the checked address, checks every redirect again and enforces the limits.

Tables, metadata, harvested documents and paged catalogs, harvested SPARQL endpoints and
the quality check's URLs all go through it. The only other outgoing connections psikg
opens are to its own query engine (``graph.engine.client``).
"""
