"""Group and table descriptions: their notes and common properties as JSON-LD says (csv2rdf 4.2).

A small JSON-LD to N-Triples for the values the metadata normaliser
(:mod:`loaders.csvw.metadata`) leaves: strings, numbers, booleans, ``@value``
objects with a type or a language, and node objects with ``@id``/``@type``.
"""

from __future__ import annotations

from typing import Any

from graph.namespaces import CSVW
from graph.namespaces import XSD
from loaders.csvw.terms import BlankNodes
from loaders.csvw.terms import iri
from loaders.csvw.terms import literal
from loaders.csvw.vocab import RDF_TYPE
from loaders.csvw.vocab import expand

_TYPE = iri(RDF_TYPE)


def describe(node: str, values: list[tuple[str, Any]], bnodes: BlankNodes,
             lines: list[str]) -> None:
    """Write common properties (and notes) of a group or table as JSON-LD would."""
    for key, value in values:
        predicate = CSVW + "note" if key == "notes" else expand(key) or key
        for item in value if isinstance(value, list) else [value]:
            lines.append(f"{node} {iri(predicate)} {_json_ld(item, bnodes, lines)} .\n")


def _json_ld(value: Any, bnodes: BlankNodes, lines: list[str]) -> str:
    if isinstance(value, bool):
        return literal("true" if value else "false", XSD + "boolean")
    if isinstance(value, int):
        return literal(str(value), XSD + "integer")
    if isinstance(value, float):
        return literal(_double(value), XSD + "double")
    if isinstance(value, str):
        return literal(value)
    if "@value" in value:
        inner = value["@value"]
        if "@type" in value:
            text = ("true" if inner else "false") if isinstance(inner, bool) else str(inner)
            return literal(text, value["@type"])
        if "@language" in value:
            return literal(str(inner), language=value["@language"].lower())
        return _json_ld(inner, bnodes, lines)
    node = iri(value["@id"]) if "@id" in value else bnodes.new()
    for type_iri in value.get("@type", []):
        lines.append(f"{node} {_TYPE} {iri(type_iri)} .\n")
    describe(node, [(k, v) for k, v in value.items() if not k.startswith("@")], bnodes, lines)
    return node


def _double(value: float) -> str:
    mantissa, _, exponent = f"{value:E}".partition("E")
    mantissa = mantissa.rstrip("0")
    if mantissa.endswith("."):
        mantissa += "0"
    return f"{mantissa}E{int(exponent)}"
