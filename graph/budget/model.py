"""The budget aggregates' vocabulary and arithmetic: what a grant is made of, the measures
summed per cell, and exact decimal sums.

Sums follow the SPARQL of the plain canned queries exactly: ``SUM(?granted)`` and
``SUM(COALESCE(?paid, 0))`` over the cross product of a grant's values, integer when no
decimal takes part, written in Oxigraph's canonical form. They are summed as whole numbers
of 10⁻¹⁸ (:data:`SCALE`), Oxigraph's decimal unit, so they are exact. A value that SPARQL
would sum differently (a float, text in an amount, a year IRI of another shape) raises
:class:`NotSummable`: then no aggregates are built and the plain query answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field

from graph.namespaces import DCT
from graph.namespaces import EPO
from graph.namespaces import FOAF
from graph.namespaces import OBEU_DIMENSION
from graph.namespaces import PSI_AGGREGATES
from graph.namespaces import RDF
from graph.namespaces import SCHEMA
from graph.namespaces import SKOS
from graph.namespaces import XSD
from graph.namespaces import YEAR

CUBE = PSI_AGGREGATES
"""psikg's terms for the aggregates, by the prefix the budget queries give them (``cube:``)."""
TOP = 100
"""Beneficiaries kept per period in the rankings: what ``top-beneficiaries`` can show."""
PROFILE_MIN_GRANTS = 200
"""Beneficiaries with more grants in a registry get their profile precomputed; for fewer,
``beneficiary-profile`` looking their grants up one by one is as fast."""
RANKINGS_ORIGIN = "urn:psikg:aggregates:rankings"
SCALE = 18
"""Amounts are summed as whole numbers of 10⁻¹⁸, the unit of Oxigraph's ``xsd:decimal``."""
UNIT = 10 ** SCALE
TABLE_ROWS = 5000
"""Rows of the beneficiary × year table, and of the spelling table, per literal."""

TYPE = RDF + "type"
GRANT = SCHEMA + "MonetaryGrant"
FUNDER = SCHEMA + "funder"
AMOUNT = SCHEMA + "amount"
BENEFICIARY = SCHEMA + "fundedItem"
FISCAL_YEAR = OBEU_DIMENSION + "fiscalYear"
SPATIAL = DCT + "spatial"
OBJECT = SCHEMA + "object"
PRICE = SCHEMA + "price"
NAMES = (SCHEMA + "name", FOAF + "name", EPO + "hasLegalName")
"""The properties a register names its entities with (beneficiaries, contractors, bodies):
their spellings are counted, row by row, to choose each entity's label."""
PREFERRED_LABEL = SKOS + "prefLabel"
"""Where the chosen label of an entity with several spellings is written."""
GRANT_PROPERTIES = (FUNDER, FISCAL_YEAR, AMOUNT, BENEFICIARY, SPATIAL)
"""A grant's own properties the budget queries read, in the order warnings list them."""


class NotSummable(ValueError):
    """A value SPARQL would not sum the way this module does: build nothing."""


@dataclass(slots=True)
class Measures:
    """Additive measures of one cell: solutions counted, sums (in units of 10⁻¹⁸), and
    whether a decimal took part in each sum (else SPARQL gives an integer)."""

    grants: int = 0
    granted: int = 0
    paid: int = 0
    granted_decimal: bool = False
    paid_decimal: bool = False
    amount: int = 0
    """The amounts without the payments: ``SUM(?amount)`` of a query with no payment in it
    (``granted`` counts an amount once per payment, as the queries joining payments do)."""
    amount_decimal: bool = False

    def add(self, other: Measures) -> None:
        self.grants += other.grants
        self.granted += other.granted
        self.paid += other.paid
        self.granted_decimal |= other.granted_decimal
        self.paid_decimal |= other.paid_decimal
        self.amount += other.amount
        self.amount_decimal |= other.amount_decimal


@dataclass
class Summary:
    """The aggregates of one graph, by slice, before they are written as RDF (picklable)."""

    body_year: dict[tuple[str, int], Measures] = field(default_factory=dict)
    municipality_year: dict[tuple[str, int], Measures] = field(default_factory=dict)
    beneficiary_year: dict[tuple[str, int], Measures] = field(default_factory=dict)
    profile: dict[tuple[str, str, int], Measures] = field(default_factory=dict)
    """By beneficiary, body and year: only beneficiaries with more than
    :data:`PROFILE_MIN_GRANTS` grants."""
    spellings: dict[str, dict[str, int]] = field(default_factory=dict)
    """Entity IRI → each spelling of its name (:data:`NAMES`) → the rows that wrote it."""
    grants: int = 0
    """The ``schema:MonetaryGrant`` s of the graph."""
    missing: dict[str, int] = field(default_factory=dict)
    """Property of :data:`GRANT_PROPERTIES` → how many grants have no value of it."""
    untyped: int = 0
    """Subjects with an amount (``schema:amount``) that are not typed
    ``schema:MonetaryGrant``: the budget queries do not see them."""

    @property
    def empty(self) -> bool:
        """Whether no grant can be summed (nothing for the budget queries)."""
        return not self.body_year and not self.municipality_year and not self.beneficiary_year


def scaled(lexical: bytes, decimal: bool) -> int:
    """The value of an ``xsd:decimal`` (or ``xsd:integer``) lexical form in units of 10⁻¹⁸.

    :raises NotSummable: if it is not a valid lexical form, or beyond what Oxigraph holds
        exactly (decimals: 18 fractional digits, below 10²⁰; integers: 64 bits).
    """
    sign = lexical[:1]
    digits = lexical[1:] if sign in (b"+", b"-") else lexical
    whole, _, fraction = digits.partition(b".") if decimal else (digits, b"", b"")
    if not (whole.isdigit() or (not whole and fraction)) or \
            (fraction and not fraction.isdigit()):
        raise NotSummable(f"{lexical.decode(errors='replace')} is not a valid number")
    fraction = fraction.rstrip(b"0")
    if len(fraction) > SCALE:
        raise NotSummable(f"{lexical.decode()} is beyond Oxigraph's decimals")
    value: int = int(whole or b"0") * UNIT + int(fraction.ljust(SCALE, b"0"))
    if value >= (10 ** 20 * UNIT if decimal else 2 ** 63 * UNIT):
        raise NotSummable(f"{lexical.decode()} is beyond Oxigraph's numbers")
    return -value if sign == b"-" else value


def canonical_text(value: int, decimal: bool) -> str:
    """A sum (units of 10⁻¹⁸) as Oxigraph writes it: ``10`` not ``10.00``.

    >>> canonical_text(278750 * UNIT, True), canonical_text(-UNIT // 2, True)
    ('278750', '-0.5')
    """
    whole, fraction = divmod(abs(value), UNIT)
    sign = "-" if value < 0 else ""
    if not decimal or not fraction:
        return f"{sign}{whole}"
    return f"{sign}{whole}.{fraction:018d}".rstrip("0")


def canonical(value: int, decimal: bool) -> str:
    """The N-Triples literal of a sum: integer when no decimal was added.

    >>> canonical(278750 * UNIT, True), canonical(0, False)
    ('"278750"^^<http://www.w3.org/2001/XMLSchema#decimal>', '"0"^^<http://www.w3.org/2001/XMLSchema#integer>')
    """
    kind = "decimal" if decimal else "integer"
    return f'"{canonical_text(value, decimal)}"^^<{XSD}{kind}>'


def check_year(iri: str) -> int:
    """``2024`` from ``http://reference.data.gov.uk/id/year/2024``.

    :raises NotSummable: if the term has another shape (the plain query would give no year).
    """
    tail = iri[len(YEAR):] if iri.startswith(YEAR) else ""
    if not tail.isdigit() or not tail.isascii() or str(int(tail)) != tail:
        raise NotSummable(f"{iri} is not a year of {YEAR}")
    return int(tail)


def aggregates_graph(graph: str) -> str:
    """The graph holding the aggregates of ``graph``."""
    return graph.rstrip("/#") + "/aggregates"
