"""What the catalog for people searches and filters on: the facets' property paths, the text
properties, and text folded for comparing. Shared by the index (:mod:`endpoint.catalog_index`)
and the page (:mod:`endpoint.catalog_search`)."""

from __future__ import annotations

import unicodedata

from graph.namespaces import DCAT
from graph.namespaces import DCATAP
from graph.namespaces import DCT

FACETS: dict[str, tuple[tuple[str, ...], ...]] = {
    "publisher": ((DCT + "publisher",),),
    "theme": ((DCAT + "theme",),),
    "format": ((DCAT + "distribution", DCT + "format"),),
    "licence": ((DCT + "license",), (DCAT + "distribution", DCT + "license")),
    "hvd": ((DCATAP + "hvdCategory",),),
    "kind": (),  # the publisher's psi:bodyKind, read across graphs
    "language": ((DCT + "language",),),
}
"""Each facet's parameter and the paths from a dataset to its values: alternatives, each a
sequence of properties."""
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
