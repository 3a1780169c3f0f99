"""Compliance with the decree per public body and article: what ``/compliance`` shows.

- :mod:`graph.compliance.articles`: the obligating articles, which check enforces which,
  whom a node binds, when an article does not apply (the one home of that mapping);
- :mod:`graph.compliance.tally`: one validation of one graph counted per body and article;
- :mod:`graph.compliance.record`: that count as kept in the metadata graph, every
  validation a record of its own (the history);
- :mod:`graph.compliance.dashboard`: the records read back, per body: statuses, open
  violations, history.
"""
