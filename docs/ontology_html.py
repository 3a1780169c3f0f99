"""Write docs/ontology.html, the ontology's documentation, with pyLODE (``make docs``).

Two work-arounds, both about pyLODE 3.4 rather than the ontology:

- its wheel reads its own version from a pyproject.toml it does not ship
  (RDFLib/pyLODE#260), so ``pylode.version`` is registered before import;
- it joins every language's label into one heading, so headings keep the
  English labels; definitions stay in French, Dutch, German and English.
"""

from __future__ import annotations

import importlib.metadata
import sys
import types
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import DCTERMS
from rdflib.namespace import RDFS

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    shim = types.ModuleType("pylode.version")
    shim.__version__ = importlib.metadata.version("pylode")  # type: ignore[attr-defined]
    sys.modules["pylode.version"] = shim
    from pylode import OntPub

    graph = Graph().parse(ROOT / "ontology" / "psi.ttl")
    for predicate in (RDFS.label, DCTERMS.title):
        for triple in list(graph.triples((None, predicate, None))):
            if getattr(triple[2], "language", None) not in (None, "en"):
                graph.remove(triple)
    target = ROOT / "docs" / "ontology.html"
    OntPub(graph).make_html(destination=target)
    print(f"wrote {target.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
