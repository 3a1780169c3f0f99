"""Literals as Virtuoso spells them, spelt as the embedded store does, so that both engines
answer alike: ``xsd:boolean`` as ``1`` and ``0`` (valid lexical forms, not the canonical
``true`` and ``false``), and an ``xsd:dateTime``'s fraction of a second with trailing zeros
(``07:01:56.810Z``, stored from ``07:01:56.81Z``; the canonical form drops them, as the
embedded store does). Reads spell them back.
"""

from __future__ import annotations

import re

import pyoxigraph as ox

from graph.namespaces import XSD

BOOLEAN = ox.NamedNode(XSD + "boolean")
DATE_TIME = ox.NamedNode(XSD + "dateTime")
_CANONICAL = {"1": "true", "0": "false"}
_TRAILING_ZEROS = re.compile(r"(\.\d*?)0+(?=Z?$|[+-]\d\d:\d\d$)")


def canonical_value(datatype: str, value: str) -> str:
    """``value``, a literal of ``datatype``, in the spelling the embedded store gives.

    >>> canonical_value(DATE_TIME.value, "2025-01-28T07:01:56.810Z")
    '2025-01-28T07:01:56.81Z'
    >>> canonical_value(DATE_TIME.value, "2025-01-28T07:01:56.000+01:00")
    '2025-01-28T07:01:56+01:00'
    >>> canonical_value(BOOLEAN.value, "0")
    'false'
    """
    if datatype == BOOLEAN.value:
        return _CANONICAL.get(value, value)
    if datatype == DATE_TIME.value and "." in value:
        return _TRAILING_ZEROS.sub(lambda found: found.group(1).rstrip("."), value)
    return value


def canonical(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
              ) -> ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple:
    """A boolean or date-time Virtuoso spells its way, spelt as the embedded store does."""
    if isinstance(term, ox.Literal) and term.datatype in (BOOLEAN, DATE_TIME):
        value = canonical_value(term.datatype.value, term.value)
        if value != term.value:
            return ox.Literal(value, datatype=term.datatype)
    return term


def canonical_json_term(term: dict[str, object]) -> None:
    """:func:`canonical` on a term of SPARQL JSON results, in place."""
    datatype, value = term.get("datatype"), term.get("value")
    if isinstance(datatype, str) and isinstance(value, str):
        term["value"] = canonical_value(datatype, value)
