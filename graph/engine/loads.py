"""Loads in flight through a running ``psikg serve``, and the union of the graphs that hides
what they write.

A load through the server bulk-loads its graphs into the engine outside any transaction
(``POST /store?no_transaction``), as :class:`graph.store.Store` does offline: a new graph
under its final name behind a load marker, a new version of an existing graph in a
staging graph (``urn:psikg:staging:…``). Readers must not see either before the commit.
Offline, :meth:`graph.store.Store.query` lists the live graphs for every query; the engine's
native union (``union-default-graph``) is cheaper, and equals the union of the live graphs
as long as no load is in flight.

So every web worker of ``psikg serve`` shares a folder in the server's run folder with one
file per load in flight (:class:`LoadsInFlight`). While it holds any, a query that names
no dataset goes to the engine with the live graphs as its dataset instead
(:meth:`LoadsInFlight.hide`): as its named graphs (``GRAPH ?g`` sees no staging graph),
and as its default graph over the union. The check is one ``scandir`` of a folder that is
nearly always empty. (Without a union, such a query's default graph is then empty rather
than the store's own default graph, which psikg never writes.)

A reader that found no load in flight may still race one that starts before the engine
takes the query's snapshot. So every load also appends a byte to a journal beside the
folder before it writes anything (:meth:`LoadsInFlight.epoch` is the journal's size), and
the reader reads the epoch before its check and again once the engine has answered (its
snapshot is taken by then): if it moved, the answer is dropped and the query is sent again,
hidden (:meth:`graph.engine.client.EngineClient.call`). A load removes its file only after
its commit or abort. So a reader sees no hidden graph, however slow the machine: no delay
stands in for an ordering.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl
from urllib.parse import urlencode

import pyoxigraph as ox

from graph.commit import GENERATED
from graph.errors import StoreError
from graph.sparql_text import has_dataset_clause
from graph.store import STAGING_PREFIX
from graph.write_count import count_of
from graph.write_count import count_one

if TYPE_CHECKING:
    from graph.engine.client import EngineClient

UNION_PARAMETER = "union-default-graph"
DATASET_PARAMETERS = {"default-graph-uri", "named-graph-uri"}
FORM_TYPE = "application/x-www-form-urlencoded"
QUERY_TYPE = "application/sparql-query"
NO_GRAPH = "urn:psikg:no-graph"
"""The dataset of a query while no graph is live: a graph nobody writes."""
STALE_RUN_S = 3600.0
"""A load that has written nothing for this long is taken for dead (its client was killed)
and removed by the next load that starts."""

LIVE_GRAPHS = f"""SELECT ?g WHERE {{ GRAPH ?g {{ }}
  FILTER(!STRSTARTS(STR(?g), "{STAGING_PREFIX}"))
  FILTER NOT EXISTS {{ GRAPH ?meta {{ ?run {GENERATED} ?g
    FILTER(STRSTARTS(STR(?run), "{STAGING_PREFIX}")) }} }} }}"""
"""The graphs readers may see: all but staging graphs and graphs behind a load marker
(what :meth:`graph.store.Store.live_graphs` lists offline)."""


def marked_graphs(meta_graph: str) -> str:
    """The graphs that loads in flight write under their final names, behind a marker
    (``?g``)."""
    return (f"SELECT ?g WHERE {{ GRAPH {ox.NamedNode(meta_graph)} {{ ?run {GENERATED} ?g "
            f"FILTER(STRSTARTS(STR(?run), {ox.Literal(STAGING_PREFIX)})) }} }}")


def of_a_load(quad: ox.Quad, marked: set[str]) -> bool:
    """Whether a quad of a whole-store dump belongs to a load in flight: in a staging
    graph, in a graph behind a marker (``marked``), or the marker itself."""
    name = quad.graph_name
    if not isinstance(name, ox.NamedNode):
        return False
    return (name.value.startswith(STAGING_PREFIX) or name.value in marked
            or quad.predicate == GENERATED and isinstance(quad.subject, ox.NamedNode)
            and quad.subject.value.startswith(STAGING_PREFIX))


class LoadsInFlight:
    """The loads a ``psikg serve`` has in flight: one file each in ``folder``.

    :param folder: a folder of the server's run folder, shared by its web workers.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def start(self) -> str:
        """Record a new load; its staging prefix (``urn:psikg:staging:{id}/``)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        run = uuid.uuid4().hex
        (self.folder / run).write_text(str(time.time()), encoding="ascii")
        count_one(self.journal)
        return f"{STAGING_PREFIX}{run}/"

    @property
    def journal(self) -> Path:
        """The file each load appends a byte to when it starts, beside :attr:`folder`."""
        return self.folder.with_name(self.folder.name + ".journal")

    def epoch(self) -> int:
        """How many loads have started: a reader compares it before and after a query."""
        return count_of(self.journal)

    def known(self, run: str) -> bool:
        """Whether ``run`` (the id, hex) is a load in flight; its file is touched (alive)."""
        path = self.folder / run
        if not run.isalnum() or not path.is_file():
            return False
        path.touch()
        return True

    def finish(self, run: str) -> None:
        """The load ``run`` committed or aborted: readers may use the native union again."""
        (self.folder / run).unlink(missing_ok=True)

    def stale(self) -> list[str]:
        """Loads that wrote nothing for :data:`STALE_RUN_S`: their client died."""
        limit = time.time() - STALE_RUN_S
        try:
            return [entry.name for entry in os.scandir(self.folder)
                    if entry.stat().st_mtime < limit]
        except FileNotFoundError:
            return []

    def any(self) -> bool:
        """Whether a load is in flight now."""
        try:
            with os.scandir(self.folder) as entries:
                return next(entries, None) is not None
        except FileNotFoundError:
            return False

    def hide(self, client: EngineClient, path: str, body: bytes | None,
             headers: Mapping[str, str] | None, deadline: float | None, *,
             always: bool = False) -> tuple[str, bytes | None, Mapping[str, str] | None]:
        """The request to send instead of a query that names no dataset while loads are in
        flight (or ``always``): the same query, with the live graphs as its named graphs
        (and, over the union, as its default graph), as a form POST, so that a long list of
        graphs is no long URL. A query that names its dataset (``FROM``,
        ``default-graph-uri``) gets it.
        """
        target, _, parameters = path.partition("?")
        if target != "/query" or not (always or self.any()):
            return path, body, headers
        fields = parse_qsl(parameters, keep_blank_values=True)
        kind = (headers or {}).get("Content-Type", "")
        if kind == FORM_TYPE and body is not None:
            fields += parse_qsl(body.decode(), keep_blank_values=True)
        elif kind == QUERY_TYPE and body is not None:
            fields.append(("query", body.decode()))
        else:
            return path, body, headers
        names = {name for name, _ in fields}
        query = next((value for name, value in fields if name == "query"), "")
        if names & DATASET_PARAMETERS or has_dataset_clause(query):
            return path, body, headers
        live = self.live_graphs(client, deadline) or [NO_GRAPH]
        fields = [(name, value) for name, value in fields if name != UNION_PARAMETER]
        if UNION_PARAMETER in names:
            fields += [("default-graph-uri", graph) for graph in live]
        fields += [("named-graph-uri", graph) for graph in live]
        return "/query", urlencode(fields).encode(), {**(headers or {}),
                                                      "Content-Type": FORM_TYPE}

    def live_graphs(self, client: EngineClient, deadline: float | None) -> list[str]:
        """The graphs readers may see now, as the engine lists them."""
        answer = client.call("POST", "/query", body=urlencode({"query": LIVE_GRAPHS}).encode(),
                             headers={"Content-Type": FORM_TYPE,
                                      "Accept": "text/tab-separated-values"},
                             deadline=deadline, whole_store=True)
        text = answer.read().decode("utf-8")
        if answer.status != 200:
            raise StoreError(f"the query engine could not list the live graphs: {text}",
                             type="engine-error")
        return [line.strip()[1:-1] for line in text.splitlines()[1:] if line.strip()]
