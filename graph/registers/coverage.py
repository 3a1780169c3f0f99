"""What the budget queries will not see of a register, said when it loads.

A grant without a granting body is in no row of ``spending-by-body-year``; an amount on a
node not typed ``schema:MonetaryGrant`` is in no budget query at all. Each query answers
without it and says nothing, so the load says it: one warning per property, naming the
queries that need it (the register models, :func:`graph.registers.reads_of_class`) and how
many grants lack it (the load's tally, :class:`graph.budget.model.Summary`).
"""

from __future__ import annotations

from graph.budget.model import AMOUNT
from graph.budget.model import GRANT
from graph.budget.model import GRANT_PROPERTIES
from graph.budget.model import Summary
from graph.namespaces import OBEU_DIMENSION
from graph.namespaces import PREFIXES
from graph.namespaces import SCHEMA
from graph.registers import reads_of_class

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


def grant_warnings(summary: Summary) -> list[str]:
    """Why some of a register's grants, or all of them, are missing from canned queries."""
    reads = reads_of_class(GRANT)
    needing: dict[str, list[str]] = {}
    for query, properties in reads.items():
        for read in properties:
            if read.needed:
                needing.setdefault(read.property, []).append(query)
    warnings = []
    if summary.untyped:
        warnings.append(
            f"{summary.untyped} node(s) with a {short(AMOUNT)} are not typed "
            f"{short(GRANT)}; {_listed(sorted(reads))} read only grants typed so: add a "
            f"virtual column with \"propertyUrl\": \"rdf:type\" and \"valueUrl\": \"{GRANT}\"")
    for iri in GRANT_PROPERTIES:
        missing = summary.missing.get(iri, 0)
        if missing and needing.get(iri):
            warnings.append(f"{missing} of {summary.grants} grant(s) have no {short(iri)}; "
                            f"{_listed(sorted(needing[iri]))} leave them out")
    return warnings


def _listed(names: list[str]) -> str:
    return ", ".join(names) if names else "no canned query"
