"""``xsd:boolean`` literals as Virtuoso spells them: ``1`` and ``0`` (valid lexical forms,
not the canonical ones), where the embedded store and the JSON results psikg writes say
``true`` and ``false``. Reads spell them back, so that both engines answer alike.
"""

from __future__ import annotations

import pyoxigraph as ox

from graph.namespaces import XSD

BOOLEAN = ox.NamedNode(XSD + "boolean")
_CANONICAL = {"1": "true", "0": "false"}


def canonical(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
              ) -> ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple:
    """A boolean Virtuoso spells ``1`` or ``0``, spelt ``true`` or ``false``."""
    if isinstance(term, ox.Literal) and term.datatype == BOOLEAN and term.value in _CANONICAL:
        return ox.Literal(_CANONICAL[term.value], datatype=BOOLEAN)
    return term


def canonical_json_term(term: dict[str, object]) -> None:
    """:func:`canonical` on a term of SPARQL JSON results, in place."""
    if term.get("datatype") == BOOLEAN.value and term.get("value") in _CANONICAL:
        term["value"] = _CANONICAL[str(term["value"])]
