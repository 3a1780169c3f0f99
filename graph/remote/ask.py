"""``ASK`` sent as a ``SELECT`` of one row, for an engine whose ``ASK`` answers are not
SPARQL's boolean results: Virtuoso 7.2 answers ``ASK`` as a SELECT of one column,
``?__ASK_RETVAL``, with no row for false. psikg asks ``SELECT (1 AS ?psikg_ask) … LIMIT 1``
and reads a row as true, none as false.
"""

from __future__ import annotations

import json
import re

from graph.sparql_text import blank

_ASK = re.compile(r"\bASK\b", re.IGNORECASE)
_LIMIT_AT_END = re.compile(r"\bLIMIT\s+\d+\s*$", re.IGNORECASE)


def ask_as_select(sparql: str) -> str:
    """The ``ASK`` query as a ``SELECT`` of at most one row (as written if it is no ASK)."""
    code = blank(sparql)
    found = _ASK.search(code)
    if found is None:
        return sparql
    text = f"{sparql[:found.start()]}SELECT (1 AS ?psikg_ask){sparql[found.end():]}"
    return text if _LIMIT_AT_END.search(blank(text).rstrip()) else text + "\nLIMIT 1"


def boolean_results(select_results: bytes) -> bytes:
    """The SPARQL JSON boolean that the SELECT's JSON results mean."""
    rows = json.loads(select_results).get("results", {}).get("bindings", [])
    return json.dumps({"head": {}, "boolean": bool(rows)}).encode()
