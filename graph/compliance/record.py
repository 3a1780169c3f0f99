"""What one validation says per public body and article, as values and as stored.

Every validation of a graph (a load, a harvest, ``psikg validate``) leaves one record in
the metadata graph, beside the graph's ``psi:lastValidation``::

    <{meta}/validation/{id}> a psic:Validation ;
        psic:graph <g> ; psic:trigger "load" ; prov:generatedAtTime "…"^^xsd:dateTime ;
        psic:tally [ psic:body <b> ; psic:article decree:art_11 ;
                     psic:checked 3 ; psic:violations 1 ] ;
        psic:finding [ psic:body <b> ; psic:article decree:art_11 ; sh:focusNode <d> ;
                       sh:resultPath "…" ; sh:value "…" ; sh:sourceShape <s> ;
                       sh:resultMessage "…"@en , "…"@fr ] .

A graph's description is replaced at each load, so the records are nodes of their own and
outlive it: they are the history. Only the latest record of a graph keeps its findings
(the open violations); older ones keep their tallies. A tally or finding without
``psic:body`` is one no body could be named for (a blank node, a node nobody publishes).

Every term is written by pyoxigraph, so values are escaped.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict
from dataclasses import dataclass
from dataclasses import field
from datetime import UTC
from datetime import datetime
from typing import Any

from pyoxigraph import Literal
from pyoxigraph import NamedNode

from graph.namespaces import PROV
from graph.namespaces import PSI_COMPLIANCE
from graph.namespaces import RDF
from graph.namespaces import SH
from graph.namespaces import XSD
from graph.namespaces import article

TRIGGERS = ("load", "harvest", "validate")
"""What ran the validation."""


@dataclass(frozen=True)
class Tally:
    """One body's nodes checked for one article, and the violations found on them."""

    body: str | None
    article: str
    """The article's number, e.g. ``"11"``."""
    checked: int
    violations: int


@dataclass(frozen=True)
class Finding:
    """One open violation, with the body it is held against."""

    body: str | None
    article: str
    focus_node: str
    path: str | None
    value: str | None
    shape: str
    message: dict[str, str] = field(default_factory=dict)
    """By language tag."""


@dataclass(frozen=True)
class ComplianceRecord:
    """The tallies and findings of one validation of one graph."""

    trigger: str
    tallies: tuple[Tally, ...] = ()
    findings: tuple[Finding, ...] = ()
    at: datetime = field(default_factory=lambda: datetime.now(UTC))
    """To the microsecond: two validations in one second stay in order."""

    def to_json(self) -> dict[str, Any]:
        """The record as JSON (how a command sends it to a running server)."""
        return {"trigger": self.trigger, "at": self.at.isoformat(),
                "tallies": [asdict(t) for t in self.tallies],
                "findings": [asdict(f) for f in self.findings]}

    @classmethod
    def from_json(cls, given: dict[str, Any]) -> ComplianceRecord:
        """The record :meth:`to_json` wrote.

        :raises KeyError, TypeError, ValueError: if ``given`` is not such a record.
        """
        trigger = str(given["trigger"])
        if trigger not in TRIGGERS:
            raise ValueError(f"unknown trigger {trigger!r}")
        return cls(trigger, tuple(Tally(**t) for t in given["tallies"]),
                   tuple(Finding(**f) for f in given["findings"]),
                   datetime.fromisoformat(str(given["at"])))


def _p(name: str) -> NamedNode:
    return NamedNode(PSI_COMPLIANCE + name)


def _integer(value: int) -> Literal:
    return Literal(str(value), datatype=NamedNode(XSD + "integer"))


def _node(text: str) -> NamedNode | Literal:
    """A focus node: its IRI, or its blank node label as text (it names nothing stored)."""
    if text.startswith("_:"):
        return Literal(text)
    try:
        return NamedNode(text)
    except ValueError:
        return Literal(text)


def _body(body: str | None) -> str:
    return "" if body is None else f"{_p('body')} {NamedNode(body)} ; "


def _tally(tally: Tally) -> str:
    number = NamedNode(article(tally.article))
    return (f"{_p('tally')} [ {_body(tally.body)}{_p('article')} {number} ; "
            f"{_p('checked')} {_integer(tally.checked)} ; "
            f"{_p('violations')} {_integer(tally.violations)} ] .")


def _finding(finding: Finding) -> str:
    parts = [f"{_p('article')} {NamedNode(article(finding.article))}",
             f"{NamedNode(SH + 'focusNode')} {_node(finding.focus_node)}",
             f"{NamedNode(SH + 'sourceShape')} {_node(finding.shape)}"]
    if finding.path is not None:
        parts.append(f"{NamedNode(SH + 'resultPath')} {Literal(finding.path)}")
    if finding.value is not None:
        parts.append(f"{NamedNode(SH + 'value')} {Literal(finding.value)}")
    parts += [f"{NamedNode(SH + 'resultMessage')} {Literal(text, language=lang or None)}"
              if lang else f"{NamedNode(SH + 'resultMessage')} {Literal(text)}"
              for lang, text in finding.message.items()]
    return f"{_p('finding')} [ {_body(finding.body)}{' ; '.join(parts)} ] ."


def insert_record(meta: str, graph: str, record: ComplianceRecord) -> str:
    """Update text adding ``record`` for ``graph`` and dropping the findings of the graph's
    earlier records (their tallies stay: the history)."""
    return (f"{forget_findings(meta, graph)} ;\nINSERT DATA {{ GRAPH {NamedNode(meta)} "
            f"{{ {' '.join(record_statements(meta, graph, record))} }} }}")


def forget_findings(meta: str, graph: str) -> str:
    """Update text dropping the findings of the graph's records (their tallies stay)."""
    m, g = NamedNode(meta), NamedNode(graph)
    return (f"DELETE {{ GRAPH {m} {{ ?r {_p('finding')} ?f . ?f ?p ?o }} }} "
            f"WHERE {{ GRAPH {m} {{ ?r {_p('graph')} {g} ; {_p('finding')} ?f . ?f ?p ?o }} }}")


def record_statements(meta: str, graph: str, record: ComplianceRecord) -> list[str]:
    """``record`` for ``graph`` as Turtle statements, a new record IRI under ``meta``."""
    node = NamedNode(f"{meta}/validation/{uuid.uuid4().hex}")
    when = Literal(record.at.isoformat().replace("+00:00", "Z"),
                   datatype=NamedNode(XSD + "dateTime"))
    return [
        f"{node} {NamedNode(RDF + 'type')} {_p('Validation')} .",
        f"{node} {_p('graph')} {NamedNode(graph)} .",
        f"{node} {_p('trigger')} {Literal(record.trigger)} .",
        f"{node} {NamedNode(PROV + 'generatedAtTime')} {when} .",
        *(f"{node} {_tally(t)}" for t in record.tallies),
        *(f"{node} {_finding(f)}" for f in record.findings),
    ]


__all__ = ["TRIGGERS", "ComplianceRecord", "Finding", "Tally", "forget_findings", "insert_record",
           "record_statements"]
