"""The catalog's text index: SQLite FTS5 beside the store, kept in step with it per graph.

Oxigraph has no text index (oxigraph#48), so the page people search (:mod:`endpoint.catalog_search`)
reads this one. SQLite's FTS5 is in Python's standard library, ranks with BM25, folds case and
accents (``unicode61 remove_diacritics 2``), and one file in WAL mode is shared by every WSGI
worker process: readers are never blocked, one writer at a time. tantivy would be a compiled
dependency and a second process model for the same few hundred thousand short texts.

What it holds, per live graph (never the metadata graph): each IRI typed ``dcat:Dataset`` in
the graph (a *document*: titles, descriptions and keywords in every language, ``dct:modified``,
whether it has a title and a description, whether it is kept back, the IRIs of each facet),
the publishers' ``psi:bodyKind``, the ``psi:Platform`` nodes and the ``dcat:dataset`` links.
What crosses graphs is derived from those rows, in SQL, once per store generation: the
published datasets (the rules of :func:`endpoint.platform_catalog.published`) with their sort
keys in each language, each entry's facet values and their labels.

**In step with the store, with no hook in the commit.** Each graph's *stamp* is its load's
provenance in the metadata graph (``prov:generatedAtTime``, checksum, ``void:triples``; a graph
without provenance, written by a bare SPARQL update, is stamped with its triple count). A
reader asks the engine for every live graph's stamp (one small query, :func:`stamps`); when
they differ from the index's, it takes SQLite's write lock, asks again, re-reads only the
graphs whose stamp changed, drops the graphs no longer live, derives the rest and commits, in
one transaction. So a reader never finds a dataset of a graph that was not live when it
started; workers that wait on the lock find the work done. A stamp read before the graph's
content can only be older than that content, so a graph changed meanwhile is read again by
the next reader.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import tempfile
from collections import defaultdict
from collections.abc import Iterable
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from endpoint.catalog_text import FACETS
from endpoint.catalog_text import TEXT
from endpoint.catalog_text import folded
from endpoint.platform_catalog import CatalogSource
from endpoint.platform_catalog import harvested
from graph.catalog_selection import kept_back
from graph.labels import label_properties
from graph.languages import LANGUAGES
from graph.languages import fallback_order
from graph.languages import pick
from graph.namespaces import DCAT
from graph.namespaces import PROV
from graph.namespaces import PSI
from graph.namespaces import SPDX
from graph.namespaces import VOID
from graph.namespaces import meta_graph
from graph.store_api import select_whole

SCHEMA = 8
"""The tables' version, counted up when they change: an index of another is rebuilt."""
LOCK_WAIT_S = 120.0
"""How long a connection waits for another's write lock, unless told otherwise."""
_CHUNK = 400

_TABLES = """
CREATE TABLE IF NOT EXISTS about (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS graphs (graph TEXT PRIMARY KEY, stamp TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS docs (
  id INTEGER PRIMARY KEY, graph TEXT NOT NULL, dataset TEXT NOT NULL,
  harvested INTEGER NOT NULL, kept_back INTEGER NOT NULL, described INTEGER NOT NULL,
  modified TEXT, sort_fr TEXT NOT NULL, sort_nl TEXT NOT NULL, sort_de TEXT NOT NULL,
  sort_en TEXT NOT NULL, entry INTEGER);
CREATE TABLE IF NOT EXISTS texts (doc INTEGER PRIMARY KEY, text TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS docs_graph ON docs (graph);
CREATE INDEX IF NOT EXISTS docs_dataset ON docs (dataset);
CREATE VIRTUAL TABLE IF NOT EXISTS words USING fts5 (
  title, keyword, description, tokenize = 'unicode61 remove_diacritics 2');
CREATE TABLE IF NOT EXISTS facets (doc INTEGER NOT NULL, facet TEXT NOT NULL, value TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS facets_doc ON facets (doc, facet, value);
CREATE INDEX IF NOT EXISTS facets_value ON facets (facet, value, doc);
CREATE TABLE IF NOT EXISTS kinds (graph TEXT NOT NULL, body TEXT NOT NULL, kind TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS kinds_body ON kinds (body);
CREATE TABLE IF NOT EXISTS platforms (graph TEXT NOT NULL, platform TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS links (graph TEXT NOT NULL, catalog TEXT NOT NULL,
  dataset TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS entries (
  id INTEGER PRIMARY KEY, dataset TEXT UNIQUE NOT NULL, modified TEXT NOT NULL,
  sort_fr TEXT NOT NULL, sort_nl TEXT NOT NULL, sort_de TEXT NOT NULL, sort_en TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS entries_fr ON entries (sort_fr, id);
CREATE INDEX IF NOT EXISTS entries_nl ON entries (sort_nl, id);
CREATE INDEX IF NOT EXISTS entries_de ON entries (sort_de, id);
CREATE INDEX IF NOT EXISTS entries_en ON entries (sort_en, id);
CREATE INDEX IF NOT EXISTS entries_modified ON entries (modified);
CREATE TABLE IF NOT EXISTS facet_values (id INTEGER PRIMARY KEY, facet TEXT NOT NULL,
  value TEXT NOT NULL, UNIQUE (facet, value));
CREATE TABLE IF NOT EXISTS entry_facets (entry INTEGER NOT NULL, value INTEGER NOT NULL,
  PRIMARY KEY (entry, value)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS entry_facets_value ON entry_facets (value, entry);
CREATE TABLE IF NOT EXISTS labels (iri TEXT NOT NULL, label TEXT NOT NULL, lang TEXT NOT NULL,
                                   prop TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS labels_iri ON labels (iri);
"""
_PER_GRAPH = ("docs", "kinds", "platforms", "links")


def index_path(store: Path, run_dir: Path | None) -> Path:
    """Where the index of ``store`` lives: beside it (``.STORE.psikg-search.sqlite``, kept from
    one ``psikg serve`` to the next), else, where that folder cannot be written, in the run
    folder or the temporary folder."""
    if os.access(store.parent, os.W_OK):
        return store.parent / f".{store.name}.psikg-search.sqlite"
    folder = run_dir if run_dir is not None else Path(tempfile.gettempdir())
    return folder / f"psikg-search-{hashlib.sha256(str(store).encode()).hexdigest()[:16]}.sqlite"


def engine_index_path(engine_url: str, base_iri: str, run_dir: Path | None) -> Path:
    """Where the index of the store in an engine psikg does not run lives: in the run
    folder (made again at each start of ``psikg serve``), else the temporary folder; never
    beside a store folder that is not the one served."""
    folder = run_dir if run_dir is not None else Path(tempfile.gettempdir())
    key = hashlib.sha256(f"{engine_url} {base_iri}".encode()).hexdigest()[:16]
    return folder / f"psikg-search-engine-{key}.sqlite"


def connect(path: Path, wait_s: float = LOCK_WAIT_S) -> sqlite3.Connection:
    """A connection to the index at ``path`` (made if missing), in WAL mode, its tables made;
    an index of another :data:`SCHEMA` is emptied first.

    :param wait_s: how long a statement waits for another connection's write lock."""
    conn = sqlite3.connect(str(path), timeout=wait_s, isolation_level=None,
                           check_same_thread=False)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    if _schema(conn) == str(SCHEMA):
        return conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute("CREATE TABLE IF NOT EXISTS about (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        found = conn.execute("SELECT value FROM about WHERE key = 'schema'").fetchone()
        if found is None or found[0] != str(SCHEMA):
            tables = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                  "AND name NOT LIKE 'words_%' AND name != 'about'").fetchall()
            for (name,) in tables:
                conn.execute(f'DROP TABLE IF EXISTS "{name}"')
            conn.execute("DELETE FROM about")
            for statement in _TABLES.split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute("INSERT INTO about VALUES ('schema', ?)", (str(SCHEMA),))
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return conn


def _schema(conn: sqlite3.Connection) -> str | None:
    try:
        found = conn.execute("SELECT value FROM about WHERE key = 'schema'").fetchone()
    except sqlite3.OperationalError:  # no such table: a new index
        return None
    return None if found is None else str(found[0])


def stamps(source: CatalogSource) -> dict[str, str]:
    """Every live graph but the metadata graph, with the stamp of its last load."""
    meta = meta_graph(source.base_iri)
    records: dict[str, set[str]] = defaultdict(set)
    for row in source.query(f"""
        SELECT ?g ?t ?c ?n WHERE {{ GRAPH ?g {{ }} OPTIONAL {{ GRAPH <{meta}> {{
          ?g <{PROV}generatedAtTime> ?t
          OPTIONAL {{ ?g <{SPDX}checksum>/<{SPDX}checksumValue> ?c }}
          OPTIONAL {{ ?g <{VOID}triples> ?n }} }} }} }}"""):
        graph = row["g"].value
        if graph == meta:
            continue
        parts = [row[name].value if row[name] is not None else "" for name in ("t", "c", "n")]
        records[graph].update(["|".join(parts)] if parts[0] else [])
    # several records of one graph (none should be) are all of its stamp, in a stable order
    found = {graph: " ".join(sorted(stamp)) for graph, stamp in records.items()}
    bare = sorted(g for g, stamp in found.items() if not stamp)
    for chunk in _chunks(bare):
        values = " ".join(str(ox.NamedNode(g)) for g in chunk)
        for row in source.query(f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} "
                                "GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"):
            found[row["g"].value] = f"count|{row['n'].value}"
    return found


def generation(base_iri: str, graph_stamps: Mapping[str, str]) -> str:
    """One word for the store's state as the index sees it."""
    text = json.dumps([SCHEMA, base_iri, sorted(graph_stamps.items())])
    return hashlib.sha256(text.encode()).hexdigest()


def current_generation(conn: sqlite3.Connection) -> str | None:
    row = conn.execute("SELECT value FROM about WHERE key = 'generation'").fetchone()
    return None if row is None else str(row[0])


def refresh(conn: sqlite3.Connection, source: CatalogSource) -> dict[str, str]:
    """Bring the index up to date with ``source``; the live graphs' stamps it holds now.

    Cheap when nothing changed (one small query); else one transaction under SQLite's write
    lock re-reads the changed graphs (see the module docstring)."""
    live = stamps(source)
    if current_generation(conn) == generation(source.base_iri, live):
        return live
    conn.execute("BEGIN IMMEDIATE")
    try:
        live = stamps(source)
        wanted = generation(source.base_iri, live)
        if current_generation(conn) != wanted:
            _update(conn, source, live)
            conn.execute("INSERT OR REPLACE INTO about VALUES ('generation', ?)", (wanted,))
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return live


def _update(conn: sqlite3.Connection, source: CatalogSource, live: Mapping[str, str]) -> None:
    base = conn.execute("SELECT value FROM about WHERE key = 'base_iri'").fetchone()
    if base is None or base[0] != source.base_iri:
        for table in (*_PER_GRAPH, "graphs", "words", "facets", "texts"):
            conn.execute(f"DELETE FROM {table}")
        conn.execute("INSERT OR REPLACE INTO about VALUES ('base_iri', ?)", (source.base_iri,))
    held = dict(conn.execute("SELECT graph, stamp FROM graphs").fetchall())
    for graph in sorted(set(held) - set(live)):
        _forget(conn, graph)
    for graph, stamp in sorted(live.items()):
        if held.get(graph) != stamp:
            _forget(conn, graph)
            _read_graph(conn, source, graph)
            conn.execute("INSERT INTO graphs VALUES (?, ?)", (graph, stamp))
    _derive(conn, source)


def _forget(conn: sqlite3.Connection, graph: str) -> None:
    docs = "SELECT id FROM docs WHERE graph = ?"
    conn.execute(f"DELETE FROM words WHERE rowid IN ({docs})", (graph,))
    conn.execute(f"DELETE FROM facets WHERE doc IN ({docs})", (graph,))
    conn.execute(f"DELETE FROM texts WHERE doc IN ({docs})", (graph,))
    for table in _PER_GRAPH:
        conn.execute(f"DELETE FROM {table} WHERE graph = ?", (graph,))
    conn.execute("DELETE FROM graphs WHERE graph = ?", (graph,))


def _read_graph(conn: sqlite3.Connection, source: CatalogSource, graph: str) -> None:
    """Index one graph's datasets, kinds of body, platforms and links.

    Every read grows with the graph: each is read whole, a page at a time where the engine
    cuts answers at a row cap (:func:`graph.store_api.select_whole`)."""
    g = ox.NamedNode(graph)
    text: dict[str, dict[str, list[tuple[str, str]]]] = {
        row["d"].value: defaultdict(list) for row in select_whole(source, (
            f"SELECT DISTINCT ?d WHERE {{ GRAPH {g} {{ ?d a <{DCAT}Dataset> "
            "FILTER(isIRI(?d)) } }"))}
    for name, prop in TEXT.items():  # one query a property: Oxigraph joins these fastest
        for row in select_whole(source, f"SELECT DISTINCT ?d ?v WHERE {{ GRAPH {g} {{ ?d a "
                                f"<{DCAT}Dataset> ; <{prop}> ?v FILTER(isLiteral(?v)) }} }}"):
            fields = text.get(row["d"].value)
            if fields is not None:
                fields[name].append((row["v"].value, row["v"].language or ""))
    kept = {row["d"].value for row in select_whole(source,
        f"SELECT DISTINCT ?d WHERE {{ GRAPH {g} {{ ?d a <{DCAT}Dataset> . {kept_back('?d')} }} }}")}
    facets = _facets(source, g)
    harvest = harvested(source.base_iri, graph)
    first = conn.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM docs").fetchone()[0]
    docs = list(enumerate(text.items(), start=first))
    conn.executemany("INSERT INTO docs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)", [
        (doc, graph, dataset, harvest, dataset in kept,
         bool(fields["title"]) and bool(fields["description"]),
         max((v for v, _ in fields["modified"]), default=None),
         *_sort_keys(dataset, fields["title"])) for doc, (dataset, fields) in docs])
    conn.executemany("INSERT INTO texts VALUES (?, ?)",
                     [(doc, json.dumps(fields, ensure_ascii=False))
                      for doc, (_, fields) in docs])
    conn.executemany("INSERT INTO words (rowid, title, keyword, description) VALUES (?, ?, ?, ?)",
                     [(doc, *(" \n".join(v for v, _ in fields[n])
                              for n in ("title", "keyword", "description")))
                      for doc, (_, fields) in docs])
    conn.executemany("INSERT INTO facets VALUES (?, ?, ?)",
                     [(doc, facet, value) for doc, (dataset, _) in docs
                      for facet, value in facets.get(dataset, ())])
    conn.executemany("INSERT INTO kinds VALUES (?, ?, ?)", [
        (graph, row["p"].value, row["v"].value) for row in select_whole(source,
            f"SELECT DISTINCT ?p ?v WHERE {{ GRAPH {g} {{ ?p <{PSI}bodyKind> ?v "
            "FILTER(isIRI(?v)) } }")])
    conn.executemany("INSERT INTO platforms VALUES (?, ?)", [
        (graph, row["p"].value) for row in select_whole(source,
            f"SELECT DISTINCT ?p WHERE {{ GRAPH {g} {{ ?p a <{PSI}Platform> }} }}")])
    if not harvest:
        conn.executemany("INSERT INTO links VALUES (?, ?, ?)", [
            (graph, row["c"].value, row["d"].value) for row in select_whole(source,
                f"SELECT DISTINCT ?c ?d WHERE {{ GRAPH {g} {{ ?c <{DCAT}dataset> ?d "
                "FILTER(isIRI(?d)) } }")])


def _facets(source: CatalogSource, g: ox.NamedNode) -> dict[str, set[tuple[str, str]]]:
    found: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for name, paths in FACETS.items():
        for path in paths:  # an alternative is a query of its own: Oxigraph joins these fastest
            steps = " . ".join(f"?x{i} <{p}> ?x{i + 1}" for i, p in enumerate(path))
            last = f"x{len(path)}"
            for row in select_whole(source, f"SELECT DISTINCT ?x0 ?{last} WHERE {{ GRAPH {g} "
                                    f"{{ ?x0 a <{DCAT}Dataset> . {steps} "
                                    f"FILTER(isIRI(?{last})) }} }}"):
                found[row["x0"].value].add((name, row[last].value))
    return found


def _derive(conn: sqlite3.Connection, source: CatalogSource) -> None:
    """What crosses graphs: the published datasets (*entries*) and their sort keys, each
    entry's facet values (``kind`` through its publisher's ``psi:bodyKind``), the values'
    labels."""
    for table in ("entries", "facet_values", "entry_facets", "labels"):
        conn.execute(f"DELETE FROM {table}")
    platform = conn.execute("SELECT MIN(platform) FROM platforms").fetchone()[0]
    if platform is None:
        platform = f"{source.base_iri}catalog"
    conn.execute(
        "INSERT INTO entries (dataset, modified, sort_fr, sort_nl, sort_de, sort_en) "
        "SELECT dataset, MAX(COALESCE(modified, '')), MIN(sort_fr), MIN(sort_nl), MIN(sort_de), "
        "MIN(sort_en) FROM docs WHERE dataset IN (SELECT dataset FROM docs WHERE described AND "
        "(harvested OR NOT kept_back OR dataset IN (SELECT dataset FROM links WHERE catalog = ?)))"
        " GROUP BY dataset ORDER BY dataset", (platform,))
    conn.execute("UPDATE docs SET entry = (SELECT id FROM entries WHERE dataset = docs.dataset)")
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS entry_values (entry INTEGER, facet TEXT, "
                 "value TEXT)")
    conn.execute("DELETE FROM temp.entry_values")
    conn.execute("INSERT INTO temp.entry_values SELECT d.entry, f.facet, f.value FROM docs AS d "
                 "JOIN facets AS f ON f.doc = d.id WHERE d.entry IS NOT NULL")
    conn.execute("INSERT INTO temp.entry_values SELECT v.entry, 'kind', k.kind FROM "
                 "temp.entry_values AS v JOIN kinds AS k ON k.body = v.value "
                 "WHERE v.facet = 'publisher'")
    conn.execute("INSERT INTO facet_values (facet, value) SELECT DISTINCT facet, value "
                 "FROM temp.entry_values")
    conn.execute("INSERT OR IGNORE INTO entry_facets SELECT v.entry, f.id FROM temp.entry_values "
                 "AS v JOIN facet_values AS f ON f.facet = v.facet AND f.value = v.value")
    conn.execute("DELETE FROM temp.entry_values")
    facet_values = [v for (v,) in conn.execute("SELECT DISTINCT value FROM facet_values")]
    conn.executemany("INSERT INTO labels VALUES (?, ?, ?, ?)", _labels(source, facet_values))


def _sort_keys(dataset: str, titles: list[tuple[str, str]]) -> list[str]:
    """The title to sort by in each page language (folded); a dataset of several graphs
    sorts by the first of its documents' keys."""
    return [folded(pick(titles, fallback_order(language)) or dataset) for language in LANGUAGES]


def _labels(source: CatalogSource, iris: list[str]) -> Iterable[tuple[str, str, str, str]]:
    """The store's labels of the facet values, with their properties (the code lists' come
    from the vocabulary)."""
    for chunk in _chunks(sorted(iris)):
        values = " ".join(str(ox.NamedNode(iri)) for iri in chunk)
        props = label_properties()
        for row in source.query(f"SELECT ?x ?l ?p WHERE {{ VALUES ?x {{ {values} }} GRAPH ?g {{ "
                                f"?x ?p ?l FILTER(isLiteral(?l) && ?p IN ({props})) }} }}"):
            yield row["x"].value, row["l"].value, row["l"].language or "", row["p"].value


def _chunks(items: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start:start + _CHUNK]


def page_rows(conn: sqlite3.Connection, datasets: list[str]) -> dict[str, dict[str, Any]]:
    """The page's datasets: each one's text (every document merged) and facet values."""
    found: dict[str, dict[str, Any]] = {d: {"text": defaultdict(list), "facets": defaultdict(set)}
                                        for d in datasets}
    marks = ", ".join("?" * len(datasets))
    for dataset, doc in conn.execute("SELECT d.dataset, t.text FROM docs AS d JOIN texts AS t "
                                     f"ON t.doc = d.id WHERE d.dataset IN ({marks})", datasets):
        for name, pairs in json.loads(doc).items():
            found[dataset]["text"][name].extend(tuple(pair) for pair in pairs)
    for dataset, facet, value in conn.execute(
            "SELECT e.dataset, v.facet, v.value FROM entries AS e JOIN entry_facets AS f ON "
            f"f.entry = e.id JOIN facet_values AS v ON v.id = f.value WHERE e.dataset IN ({marks})",
            datasets):
        found[dataset]["facets"][facet].add(value)
    return found
