"""What the budget queries will not see of a register, said when it loads.

A grant without a granting body is in no row of ``spending-by-body-year``; an amount on a
node not typed ``schema:MonetaryGrant`` is in no budget query at all. Each query answers
without it and says nothing, so the load says it: one warning per property, naming the
queries that read it (:func:`graph.canned.reads.read_by`) and how many grants lack it.
"""

from __future__ import annotations

from collections.abc import Mapping

from graph.budget.model import AMOUNT
from graph.budget.model import GRANT
from graph.budget.model import GRANT_PROPERTIES
from graph.budget.model import OBEU_DIMENSION
from graph.budget.model import SCHEMA
from graph.budget.model import Summary
from graph.canned.model import CannedQuery
from graph.canned.reads import read_by
from graph.namespaces import PREFIXES

_PREFIXES = {**PREFIXES, "schema": SCHEMA, "obeu": OBEU_DIMENSION}


def short(iri: str) -> str:
    """``schema:funder`` for ``https://schema.org/funder``, else the IRI in brackets.

    >>> short("https://schema.org/funder"), short("urn:x:y")
    ('schema:funder', '<urn:x:y>')
    """
    for name, base in sorted(_PREFIXES.items(), key=lambda item: -len(item[1])):
        if iri.startswith(base) and iri[len(base):].replace("_", "a").isalnum():
            return f"{name}:{iri[len(base):]}"
    return f"<{iri}>"


def grant_warnings(summary: Summary, library: Mapping[str, CannedQuery]) -> list[str]:
    """Why some of a register's grants, or all of them, are missing from canned queries."""
    readers = {iri: sorted(name for name, query in library.items() if iri in read_by(query))
               for iri in (GRANT, *GRANT_PROPERTIES)}
    warnings = []
    if summary.untyped:
        warnings.append(
            f"{summary.untyped} node(s) with a {short(AMOUNT)} are not typed "
            f"{short(GRANT)}; {_listed(readers[GRANT])} read only grants typed so: add a "
            f"virtual column with \"propertyUrl\": \"rdf:type\" and \"valueUrl\": \"{GRANT}\"")
    for iri in GRANT_PROPERTIES:
        missing = summary.missing.get(iri, 0)
        if missing and readers[iri]:
            warnings.append(f"{missing} of {summary.grants} grant(s) have no {short(iri)}; "
                            f"{_listed(readers[iri])} leave them out")
    return warnings


def _listed(names: list[str]) -> str:
    return ", ".join(names) if names else "no canned query"
