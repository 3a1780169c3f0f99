"""What psikg knows of each kind of SPARQL 1.1 engine it may work in front of: where its
Query, Update and Graph Store services are, how it wants queries sent, how it says it cut
an answer, and what it cannot do (said in one line when a command starts).

``PSIKG_ENGINE_KIND`` names one of :data:`DIALECTS`. The facts about Virtuoso are those
measured on its Debian package (7.2.5): ``docs/engines.md``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from graph.errors import UsageError


@dataclass(frozen=True)
class Dialect:
    """How to talk to one kind of engine, relative to the engine's base URL."""

    kind: str
    query_path: str
    """The SPARQL 1.1 Query service, asked with a form POST (every engine takes one;
    Virtuoso never answers a direct ``application/sparql-query`` POST)."""
    update_path: str
    """The SPARQL 1.1 Update service; with credentials, the one that checks them."""
    store_path: str
    """The Graph Store service (``?graph=IRI``): loads post N-Triples to it, so that a
    file's blank nodes stay one per label within it."""
    capped_header: str = ""
    """A response header the engine sets when an answer reached its row cap (lower case);
    empty if the engine has no cap, or none it says."""
    limits: str = ""
    """What the engine cannot do that the embedded store does, in one line."""
    blank_nodes_in_insert_data: bool = True
    """Whether ``INSERT DATA`` may hold blank nodes (SPARQL 1.1 allows it; Virtuoso
    refuses, ``SP031``)."""
    unlogged: str = ""
    """What goes before a large update of psikg's own (a load's commit, a drop) so that
    the engine runs it as one transaction without writing it to its transaction log:
    Virtuoso aborts (``SR325``) a transaction whose log "after image" passes its
    ``TransactionAfterImageLimit`` (50 MB), as the ``MOVE`` of a register of a million
    triples does. Unlogged, a crash before the next checkpoint loses the whole update,
    never part of it: :attr:`checkpoint` follows it."""
    checkpoint: str = ""
    """A query, run as the writer after each unlogged update, that has the engine write
    it to disk before psikg says it is done. Unlogged, the update lives only in memory
    until the engine's next checkpoint (Virtuoso: ``CheckpointInterval``, an hour by
    default): a crash meanwhile lost a load psikg had reported. Virtuoso runs
    ``checkpoint`` for its ``bif:exec`` on the authenticated endpoint."""

    max_sorted_rows: int = 0
    """The most rows an ``ORDER BY`` with a ``LIMIT`` may sort (0: no such limit):
    :mod:`graph.remote.limits`."""
    asks_by_select: bool = False
    """Whether ``ASK`` is sent as a one-row ``SELECT`` (:mod:`graph.remote.ask`)."""
    replan_on: str = ""
    """An error code of the engine's planner on which psikg asks the query again with
    psikg's graphs in its text (:func:`graph.remote.graph_scope.scope_graph_variables`)
    rather than as ``named-graph-uri``."""
    empties_foreign_graphs: bool = False
    """Whether a ``GRAPH <iri>`` that names no graph of psikg's is sent as one naming an
    empty graph: Virtuoso 7.2 matches a graph outside the request's dataset once, with
    no bindings (``COUNT(*)`` says 1, ``ASK`` true), where it should match nothing."""
    dataset_in_text: bool = False
    """Whether a query's dataset is sent in its text (``FROM``, ``FROM NAMED``) rather than
    as protocol fields (:mod:`graph.remote.dataset_text`): Virtuoso takes a long list of
    graphs there fifteen times faster, and does not repeat it in its answer's header."""
    lateral: bool = True
    """Whether the engine reads ``LATERAL``; if not, each one a plain join answers alike
    is sent as that join (:mod:`graph.remote.lateral`), and the others as written."""

    timeout_field: str = ""
    """A form field in which the engine takes a query's time limit in milliseconds, and
    stops it there (Virtuoso's ``timeout``); empty: psikg only closes its connection at
    the deadline."""
    interrupted: tuple[str, str] = ("", "")
    """A response header (lower case) and the start of its value by which the engine says
    it stopped a query at its time limit and answered what it had: psikg then answers a
    timeout, never that partial answer (Virtuoso: ``X-SQL-State: S1TAT``, its "anytime"
    results)."""

    graph_answer_rows: int = 0
    """The solutions at which the engine cuts a CONSTRUCT answer without saying so
    (Virtuoso: its ``ResultSetMaxRows``, 10,000 by default, as psikg's pages assume); 0:
    it does not. Such answers are checked (:mod:`graph.remote.constructs`)."""
    backup: str = "the engine's own backup tool"
    """How to back this engine's store up: psikg cannot (``psikg backup`` and ``/backup``
    pause and copy the Oxigraph store psikg runs itself)."""

    @property
    def backup_advice(self) -> str:
        """How to back this engine's store up, and how to copy psikg's graphs elsewhere."""
        return (f"{self.backup}; or copy psikg's graphs to another engine with `psikg "
                "export --graph IRI` then `psikg load` (docs/engines.md)")

    def update_text(self, update: str) -> str:
        """psikg's own update (operations joined by ``" ;\n"``, each on one line) as this
        engine takes it: where ``INSERT DATA`` may not hold blank nodes, each becomes the
        ``INSERT { … } WHERE { }`` that inserts the same triples."""
        if self.blank_nodes_in_insert_data:
            return update
        return " ;\n".join(_INSERT_DATA.sub("INSERT", operation) + " WHERE { }"
                            if _INSERT_DATA.match(operation) else operation
                            for operation in update.split(" ;\n"))


_INSERT_DATA = re.compile(r"\s*INSERT\s+DATA\b", re.IGNORECASE)


DIALECTS = {
    "oxigraph": Dialect("oxigraph", "/query", "/update", "/store",
                        limits="no row cap and no credentials: put a proxy in front of "
                        "its update service",
                        backup="`oxigraph backup --location STORE --destination DIR` on the "
                        "engine's machine with its `oxigraph serve` stopped (beside a running "
                        "server it misses what is still in the write-ahead log)"),
    "virtuoso": Dialect(
        "virtuoso", "/sparql", "/sparql-auth", "/sparql-graph-crud-auth",
        capped_header="x-sparql-maxrows", lateral=False,
        limits="an answer that reaches its ResultSetMaxRows, or an ORDER BY past its "
        "MaxSortedTopRows, or a CONSTRUCT of 10,000 solutions or more, is refused, not "
        "cut; a DESCRIBE past its cap is not detected; a LATERAL that tests outer variables, and "
        "some aggregates, are refused; "
        "errors are in its words, without line and column",
        blank_nodes_in_insert_data=False, unlogged="DEFINE sql:log-enable 0 ",
        checkpoint="SELECT (bif:exec('checkpoint') AS ?done) {}",
        max_sorted_rows=10_000,
        empties_foreign_graphs=True, replan_on="SQ200", asks_by_select=True,
        dataset_in_text=True,
        timeout_field="timeout", interrupted=("x-sql-state", "S1TAT"), graph_answer_rows=10_000,
        backup="Virtuoso's online backup, as dba in isql-vt: `backup_context_clear(); "
        "checkpoint; backup_online('psikg-', 10000, 0, vector('DIR'));` (DIR within its "
        "DirsAllowed)"),
    "graphdb": Dialect("graphdb", "", "/statements", "/rdf-graphs/service",
                       limits="its URL is a repository's (…/repositories/ID); writes go "
                       "without credentials or with HTTP Digest, not the Basic "
                       "authentication or tokens of GraphDB's security; no row cap is "
                       "detected"),
    "generic": Dialect("generic", "", "", "",
                       limits="a row cap the engine does not announce cannot be detected; "
                       "query, update and graph store are all asked at the engine URL"),
}
"""Every engine kind psikg knows. ``generic`` is a server that offers the three services
at one URL (Fuseki's dataset URL, for one); ``graphdb`` one that offers them as RDF4J's
server protocol does for a repository (GraphDB's ``/repositories/ID``)."""


def dialect_for(kind: str) -> Dialect:
    """The dialect of ``kind`` (``PSIKG_ENGINE_KIND``).

    :raises UsageError: if psikg does not know that kind.
    """
    try:
        return DIALECTS[kind]
    except KeyError:
        raise UsageError(f"unknown engine kind {kind!r}", type="invalid-setting", value=kind,
                         expected="one of " + ", ".join(DIALECTS)) from None
