"""The metadata graph: where each named graph came from and how it validated.

One graph, ``{base}graph/meta``, describes every source graph with PROV,
SPDX, DCTERMS and VoID terms::

    <g> a prov:Entity ;
        prov:wasDerivedFrom <file:///…/subsidies.ttl> ;
        dct:format <http://www.w3.org/ns/formats/Turtle> ;
        spdx:checksum [ spdx:algorithm spdx:checksumAlgorithm_sha256 ; spdx:checksumValue "…" ] ;
        prov:generatedAtTime "2026-11-23T10:00:00Z"^^xsd:dateTime ;
        void:triples 1234 ;
        psi:lastValidation [ sh:conforms true ; psi:violationCount 0 ; psi:warningCount 2 ;
                             prov:generatedAtTime "…"^^xsd:dateTime ] .

The functions here only write SPARQL Update text (with every term written by
pyoxigraph, so values are escaped) and read it back; the store runs them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC
from datetime import datetime
from typing import Any

from pyoxigraph import Literal
from pyoxigraph import NamedNode
from pyoxigraph import QuerySolution

from graph.compliance.record import ComplianceRecord
from graph.compliance.record import insert_record
from graph.namespaces import DCT
from graph.namespaces import PROV
from graph.namespaces import PSI
from graph.namespaces import RDF
from graph.namespaces import SH
from graph.namespaces import SPDX
from graph.namespaces import VOID
from graph.namespaces import XSD


@dataclass(frozen=True)
class Provenance:
    """What is recorded about one named graph when its source is loaded."""

    graph: str
    origin: str
    format_iri: str
    checksum: str
    triples: int
    loaded_at: datetime
    extra: tuple[tuple[str, NamedNode | Literal], ...] = ()
    """More statements about the graph (sheet, metadata file, rows rejected…)."""


@dataclass(frozen=True)
class ValidationSummary:
    """The outcome of the last validation of a graph, as stored."""

    conforms: bool
    violations: int
    warnings: int
    validated_at: datetime
    record: ComplianceRecord | None = None
    """Its tallies per body and article, kept as history (:mod:`graph.compliance.record`);
    not read back with the summary."""

    def to_json(self) -> dict[str, object]:
        """The summary as a command sends it to a running server."""
        given: dict[str, object] = {
            "conforms": self.conforms, "violations": self.violations,
            "warnings": self.warnings, "validated": self.validated_at.isoformat()}
        if self.record is not None:
            given["record"] = self.record.to_json()
        return given

    @classmethod
    def from_json(cls, given: dict[str, Any]) -> ValidationSummary:
        """The summary :meth:`to_json` wrote.

        :raises KeyError, TypeError, ValueError: if ``given`` is not such a summary.
        """
        record = given.get("record")
        return cls(bool(given["conforms"]), int(given["violations"]), int(given["warnings"]),
                   datetime.fromisoformat(str(given["validated"])),
                   None if record is None else ComplianceRecord.from_json(record))


def now() -> datetime:
    """The current time in UTC, to the second: what provenance timestamps use."""
    return datetime.now(UTC).replace(microsecond=0)


def _datetime(value: datetime) -> Literal:
    return Literal(value.isoformat().replace("+00:00", "Z"), datatype=NamedNode(XSD + "dateTime"))


def _integer(value: int) -> Literal:
    return Literal(str(value), datatype=NamedNode(XSD + "integer"))


def delete_description(meta: str, graph: str) -> str:
    """Update text removing everything the metadata graph says of ``graph``."""
    g, m = NamedNode(graph), NamedNode(meta)
    return (
        f"DELETE {{ GRAPH {m} {{ {g} ?p ?o . ?o ?p2 ?o2 }} }} "
        f"WHERE {{ GRAPH {m} {{ {g} ?p ?o OPTIONAL {{ ?o ?p2 ?o2 FILTER(isBlank(?o)) }} }} }}"
    )


def delete_validation(meta: str, graph: str) -> str:
    """Update text removing the last validation summary of ``graph``."""
    g, m, p = NamedNode(graph), NamedNode(meta), NamedNode(PSI + "lastValidation")
    return (
        f"DELETE {{ GRAPH {m} {{ {g} {p} ?v . ?v ?vp ?vo }} }} "
        f"WHERE {{ GRAPH {m} {{ {g} {p} ?v . ?v ?vp ?vo }} }}"
    )


def insert_provenance(meta: str, record: Provenance) -> str:
    """Update text adding the provenance of one graph to the metadata graph."""
    g = NamedNode(record.graph)
    statements = [
        f"{g} {NamedNode(RDF + 'type')} {NamedNode(PROV + 'Entity')} .",
        f"{g} {NamedNode(PROV + 'wasDerivedFrom')} {NamedNode(record.origin)} .",
        f"{g} {NamedNode(DCT + 'format')} {NamedNode(record.format_iri)} .",
        f"{g} {NamedNode(PROV + 'generatedAtTime')} {_datetime(record.loaded_at)} .",
        f"{g} {NamedNode(VOID + 'triples')} {_integer(record.triples)} .",
        f"{g} {NamedNode(SPDX + 'checksum')} [ "
        f"{NamedNode(SPDX + 'algorithm')} {NamedNode(SPDX + 'checksumAlgorithm_sha256')} ; "
        f"{NamedNode(SPDX + 'checksumValue')} {Literal(record.checksum)} ] .",
        *(f"{g} {NamedNode(predicate)} {value} ." for predicate, value in record.extra),
    ]
    return f"INSERT DATA {{ GRAPH {NamedNode(meta)} {{ {' '.join(statements)} }} }}"


def insert_validation(meta: str, graph: str, summary: ValidationSummary) -> str:
    """Update text recording a validation summary for ``graph``, and its record per body and
    article if it has one."""
    conforms = Literal("true" if summary.conforms else "false",
                       datatype=NamedNode(XSD + "boolean"))
    body = (
        f"{NamedNode(graph)} {NamedNode(PSI + 'lastValidation')} [ "
        f"{NamedNode(SH + 'conforms')} {conforms} ; "
        f"{NamedNode(PSI + 'violationCount')} {_integer(summary.violations)} ; "
        f"{NamedNode(PSI + 'warningCount')} {_integer(summary.warnings)} ; "
        f"{NamedNode(PROV + 'generatedAtTime')} {_datetime(summary.validated_at)} ] ."
    )
    text = f"INSERT DATA {{ GRAPH {NamedNode(meta)} {{ {body} }} }}"
    if summary.record is not None:
        text += " ;\n" + insert_record(meta, graph, summary.record)
    return text


_PREFIXES = f"""PREFIX prov: <{PROV}>
PREFIX dct: <{DCT}>
PREFIX spdx: <{SPDX}>
PREFIX void: <{VOID}>
PREFIX psi: <{PSI}>
PREFIX sh: <{SH}>
"""
_RECORDED = """?graph prov:wasDerivedFrom ?origin ;
           dct:format ?format ;
           void:triples ?triples ;
           prov:generatedAtTime ?loaded ;
           spdx:checksum/spdx:checksumValue ?checksum ."""
"""What makes a graph one of psikg's: its provenance in the metadata graph."""


def list_query(meta: str) -> str:
    """Every graph with its provenance, read from the metadata graph ``meta``."""
    return f"""{_PREFIXES}SELECT ?graph ?origin ?format ?checksum ?triples ?loaded
       ?conforms ?violations ?warnings ?validated
WHERE {{
  GRAPH {NamedNode(meta)} {{
    {_RECORDED}
    OPTIONAL {{
      ?graph psi:lastValidation ?v .
      ?v sh:conforms ?conforms ; psi:violationCount ?violations ;
         psi:warningCount ?warnings ; prov:generatedAtTime ?validated .
    }}
  }}
}}
ORDER BY ?graph
"""


def names_query(meta: str) -> str:
    """The graphs :func:`list_query` lists, their names only: what an engine psikg does
    not run reads once a second for psikg's union (at 1,000 graphs, Virtuoso answered it in
    19 ms, and the whole list in 100 ms)."""
    return f"""{_PREFIXES}SELECT ?graph WHERE {{ GRAPH {NamedNode(meta)} {{
    {_RECORDED}
}} }}
"""


@dataclass(frozen=True)
class ProvenanceRow:
    """A graph's provenance and last validation, as :func:`list_query` reads them."""

    graph: str
    provenance: Provenance
    validation: ValidationSummary | None

    @classmethod
    def from_solution(cls, row: QuerySolution) -> ProvenanceRow:
        record = Provenance(
            row["graph"].value, row["origin"].value, row["format"].value, row["checksum"].value,
            int(row["triples"].value), datetime.fromisoformat(row["loaded"].value),
        )
        validation = None
        if row["conforms"] is not None:
            validation = ValidationSummary(
                row["conforms"].value == "true", int(row["violations"].value),
                int(row["warnings"].value), datetime.fromisoformat(row["validated"].value),
            )
        return cls(record.graph, record, validation)
