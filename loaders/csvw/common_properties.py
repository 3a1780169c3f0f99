"""Common properties of CSVW metadata (tabular metadata, section 6.1): JSON-LD values,
checked and normalised.

A common property (``dc:title``, ``schema:url``…) holds a JSON-LD value: a string (which
takes the metadata's ``@language``), a ``@value`` object, or a node object with an ``@id``
and ``@type``. What the recommendation calls an error (a blank-node ``@id``, a ``@value``
object with other keys, a bad language tag) stops the conversion.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urljoin

from loaders.csvw.datatypes import ALIASES
from loaders.csvw.datatypes import BUILTIN
from loaders.csvw.datatypes import iri_of
from loaders.csvw.errors import CsvwError
from loaders.csvw.vocab import expand

LANGUAGE_RE = re.compile(
    r"^(?:(?:[a-zA-Z]{2,3}(?:-[a-zA-Z]{3}){0,3}|[a-zA-Z]{4,8})(?:-[a-zA-Z]{4})?"
    r"(?:-(?:[a-zA-Z]{2}|[0-9]{3}))?(?:-(?:[a-zA-Z0-9]{5,8}|[0-9][a-zA-Z0-9]{3}))*"
    r"(?:-[0-9A-WY-Za-wy-z](?:-[a-zA-Z0-9]{2,8})+)*(?:-x(?:-[a-zA-Z0-9]{1,8})+)?"
    r"|x(?:-[a-zA-Z0-9]{1,8})+)$")
"""BCP 47 language tags (RFC 5646 syntax; grandfathered tags left out)."""

Fail = Callable[[str], CsvwError]
"""Builds the error that names the metadata document."""


def common_property(value: Any, language: str | None, base: str, fail: Fail) -> Any:
    """A common property's value, checked and normalised as JSON-LD.

    :param language: the ``@language`` the metadata's context sets, given to plain strings.
    :param base: the document's base URL, against which ``@id`` s resolve.
    :raises CsvwError: (made by ``fail``) for what the recommendation calls an error.
    """
    if isinstance(value, list):
        return [common_property(item, language, base, fail) for item in value]
    if isinstance(value, str):
        return {"@value": value, "@language": language} if language else value
    if not isinstance(value, dict):
        return value
    if "@value" in value:
        return _value_object(value, fail)
    out: dict[str, Any] = {}
    for key, item in value.items():
        if key == "@id":
            if not isinstance(item, str) or item.startswith("_:"):
                raise fail(f"@id {item!r} in a common property is not an IRI")
            out[key] = urljoin(base, expand(item) or item)
        elif key == "@type":
            items = item if isinstance(item, list) else [item]
            out[key] = [type_iri(t, fail) for t in items]
        elif key.startswith("@"):
            raise fail(f"{key} is not allowed in a common property value")
        else:
            out[key] = common_property(item, language, base, fail)
    return out


def _value_object(value: dict[str, Any], fail: Fail) -> dict[str, Any]:
    extra = set(value) - {"@value", "@type", "@language"}
    if extra:
        raise fail(f"a @value object has other properties: {', '.join(extra)}")
    if "@type" in value and "@language" in value:
        raise fail("a @value object has both @type and @language")
    if not isinstance(value["@value"], str | int | float | bool):
        raise fail("@value must be a string, number or boolean")
    out = dict(value)
    if "@type" in out:
        out["@type"] = type_iri(out["@type"], fail)
    if "@language" in out and not (isinstance(out["@language"], str)
                                   and LANGUAGE_RE.match(out["@language"])):
        raise fail(f"@language {out['@language']!r} is not a language tag")
    return out


def type_iri(value: Any, fail: Fail) -> str:
    """The IRI of a ``@type``: a datatype name, a prefixed name or an absolute IRI."""
    if not isinstance(value, str) or value.startswith("_:"):
        raise fail(f"@type {value!r} is not a term, prefixed name or absolute IRI")
    if value in BUILTIN or value in ALIASES:
        return iri_of(ALIASES.get(value, value))
    expanded = expand(value)
    if expanded:
        return expanded
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", value):
        return value
    raise fail(f"@type {value!r} is not a term, prefixed name or absolute IRI")
