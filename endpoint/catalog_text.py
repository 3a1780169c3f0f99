"""What the catalog for people searches and filters on: the facets' property paths, the text
properties, and text folded for comparing. Shared by the index (:mod:`endpoint.catalog_index`)
and the page (:mod:`endpoint.catalog_search`)."""

from __future__ import annotations

import unicodedata

from graph.namespaces import DCAT
from graph.namespaces import DCATAP
from graph.namespaces import DCT

FACETS: dict[str, str] = {
    "publisher": f"<{DCT}publisher>",
    "theme": f"<{DCAT}theme>",
    "format": f"<{DCAT}distribution>/<{DCT}format>",
    "licence": f"<{DCT}license>|<{DCAT}distribution>/<{DCT}license>",
    "hvd": f"<{DCATAP}hvdCategory>",
    "kind": "",  # the publisher's psi:bodyKind, read across graphs
    "language": f"<{DCT}language>",
}
"""Each facet's parameter and the property path from a dataset to its values."""
TEXT = {"title": DCT + "title", "description": DCT + "description",
        "keyword": DCAT + "keyword", "modified": DCT + "modified"}
"""The literals of a dataset the page reads, by name."""


def folded(text: str) -> str:
    """``text`` for comparing: lower case, accents removed.

    >>> folded("Écoles ÉLÉMENTAIRES à Liège")
    'ecoles elementaires a liege'
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))
