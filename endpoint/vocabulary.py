"""The terms the pages name: the decree ontology, its code lists and labels for the reused
vocabularies, held in an in-memory pyoxigraph store beside the engine.

The pages need a readable label for every property and class they show, in four
languages, even when the store holds none of the ontology; and ``psi:`` terms and code-list
concepts must dereference even on an empty store. So the files of ``ontology/`` are read
once per app (the first page that needs them pays about a tenth of a second), each into a
named graph called after what it defines, and ``endpoint/labels.ttl`` adds labels for the
DCAT, DCTERMS, FOAF, PROV… terms psikg reuses.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path

import pyoxigraph as ox
from flask import Flask

from graph.labels import LABEL_PROPERTIES
from graph.labels import Label
from graph.namespaces import CODE
from graph.namespaces import PSI
from graph.namespaces import PSI_ONTOLOGY
from graph.settings import CODELISTS_DIR
from graph.settings import ONTOLOGY_DOCS_FILE
from graph.settings import ONTOLOGY_FILE
from graph.settings import PROJECT_ROOT

LABELS_FILE = Path(__file__).with_name("labels.ttl")
"""Labels in fr, nl, de and en for the reused terms the pages show most."""
LABELS_GRAPH = "urn:psikg:labels"

_EXTENSION = "vocabulary"


@dataclass
class Vocabulary:
    """The ontology, code lists and reused-term labels, with a label lookup."""

    store: ox.Store
    sources: dict[str, str]
    """Graph name → the file it was read from, relative to the project."""
    anchors: dict[str, str] = field(default_factory=dict)
    """``psi:`` term → its anchor in the generated documentation, when there is one."""
    _labels: dict[str, list[Label]] = field(default_factory=dict)

    def labels(self, iri: str) -> list[Label]:
        """Every label of ``iri`` the vocabulary knows."""
        return self._labels.get(iri, [])

    def knows(self, iri: str) -> bool:
        """Whether the vocabulary says anything about ``iri`` as a subject."""
        return any(True for _ in self.store.quads_for_pattern(ox.NamedNode(iri), None, None))

    def documentation_href(self, iri: str) -> str:
        """Where a ``psi:`` term is documented: its anchor in ``/ontology``, if known."""
        anchor = self.anchors.get(iri)
        return f"/ontology#{anchor}" if anchor else "/ontology"


def is_ontology_term(iri: str) -> bool:
    """Whether ``iri`` is the ontology or one of its ``psi:`` terms."""
    return iri == PSI_ONTOLOGY or iri.startswith(PSI)


def is_code(iri: str) -> bool:
    """Whether ``iri`` is a psikg code list or one of its concepts."""
    return iri.startswith(CODE) and len(iri) > len(CODE)


def vocabulary(app: Flask) -> Vocabulary:
    """The app's vocabulary, read from the files on first use."""
    found = app.extensions.get(_EXTENSION)
    if found is None:
        with _LOCK:
            found = app.extensions.get(_EXTENSION)
            if found is None:
                found = load()
                app.extensions[_EXTENSION] = found
    assert isinstance(found, Vocabulary)
    return found


_LOCK = threading.Lock()


def load() -> Vocabulary:
    """Read the ontology, every code list and the label file into a fresh store.

    :raises SyntaxError: if one of the files is not valid Turtle (a bug the ontology
        tests catch first).
    """
    store = ox.Store()
    sources: dict[str, str] = {}
    files = [(PSI_ONTOLOGY, ONTOLOGY_FILE)]
    files += [(CODE + path.stem, path) for path in sorted(CODELISTS_DIR.glob("*.ttl"))]
    files.append((LABELS_GRAPH, LABELS_FILE))
    for graph, path in files:
        store.load(path=path, format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(graph))
        sources[graph] = str(path.relative_to(PROJECT_ROOT))
    labels: dict[str, list[Label]] = {}
    for predicate in LABEL_PROPERTIES:
        for quad in store.quads_for_pattern(None, ox.NamedNode(predicate), None):
            if isinstance(quad.subject, ox.NamedNode) and isinstance(quad.object, ox.Literal):
                labels.setdefault(quad.subject.value, []).append(
                    (quad.object.value, quad.object.language or "", predicate))
    return Vocabulary(store, sources, documentation_anchors(ONTOLOGY_DOCS_FILE), labels)


_ANCHOR = re.compile(r'id="([^"]+)">\s*<h3>.*?<code>([^<]+)</code>', re.DOTALL)


def documentation_anchors(path: Path) -> dict[str, str]:
    """The anchor of each term in pyLODE's page, which names anchors after labels.

    pyLODE writes ``<div … id="Publicbody"><h3>…<code>IRI</code>`` for each term; reading
    its output beats re-implementing its naming. No page, no anchors.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return {}
    return {iri: anchor for anchor, iri in _ANCHOR.findall(text) if iri.startswith(PSI)}
