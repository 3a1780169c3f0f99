"""The outcome of a validation as values: one result per ``sh:ValidationResult``, the report.

:func:`results_of` reads pyshacl's report graph. pyshacl drops the language tag of a SPARQL
constraint's message when it fills in ``{?value}``-style placeholders; each message gets its
language back by matching it against the ``sh:message`` templates of the shape that produced
it. Results are sorted by :func:`result_order`, whatever engine found them.
"""

from __future__ import annotations

import re
import typing as t
from dataclasses import asdict
from dataclasses import dataclass

from rdflib import BNode
from rdflib import Graph
from rdflib import Literal
from rdflib import URIRef
from rdflib.namespace import DCTERMS
from rdflib.namespace import RDF
from rdflib.namespace import SH
from rdflib.term import Node

from graph.namespaces import PREFIXES
from graph.namespaces import SCHEMA

Severity = t.Literal["Violation", "Warning", "Info"]
_SEVERITY_RANK: dict[str, int] = {"Violation": 0, "Warning": 1, "Info": 2}
_COMPACT_PREFIXES = {**PREFIXES, "schema": SCHEMA}


@dataclass(frozen=True)
class ValidationResult:
    """One ``sh:ValidationResult``, with the decree article it enforces."""

    focus_node: str
    path: str | None
    """A property IRI, or a SPARQL property path such as ``<a>|<b>`` for complex paths."""
    value: str | None
    message: dict[str, str]
    """Message text by language tag (``""`` for an untagged message)."""
    severity: Severity
    source_shape: str
    article: str | None
    """The ``dct:source`` of the shape (or of its node shape): a decree article IRI."""
    constraint: str
    """The ``sh:sourceConstraintComponent``."""

    def text(self, lang: str = "en") -> str:
        """The message in ``lang``, else English, else French, else any language."""
        for key in (lang, "en", "fr"):
            if key in self.message:
                return self.message[key]
        return next(iter(self.message.values()), "")

    def to_json(self) -> dict[str, t.Any]:
        """The result as a JSON-ready dict whose keys are the field names, in order."""
        return asdict(self)


@dataclass
class ValidationReport:
    """Every result of one validation run, and the SHACL report graph they come from."""

    conforms: bool
    """True when no result is a violation: warnings and infos alone do not fail."""
    results: list[ValidationResult]
    graph: Graph

    @property
    def violations(self) -> list[ValidationResult]:
        return [r for r in self.results if r.severity == "Violation"]

    @property
    def warnings(self) -> list[ValidationResult]:
        return [r for r in self.results if r.severity == "Warning"]

    def to_text(self, lang: str = "en") -> str:
        """One line per result (none when there is none): severity, focus node, path, value,
        the message in ``lang`` and the article, IRIs shortened with psikg's prefixes."""
        lines = []
        for r in self.results:
            parts = [f"{r.severity}: {compact(r.focus_node)}"]
            if r.path is not None:
                parts.append(f"path {compact(r.path)}")
            if r.value is not None:
                parts.append(f"value {compact(r.value)}")
            parts.append(f"{r.text(lang)} ({r.article or r.source_shape})")
            lines.append(" | ".join(parts))
        return "\n".join(lines)

    def to_json(self) -> dict[str, t.Any]:
        """The report as a JSON-ready dict: ``conforms``, counts and ``results``."""
        return {
            "conforms": self.conforms,
            "violations": len(self.violations),
            "warnings": len(self.warnings),
            "results": [r.to_json() for r in self.results],
        }

    def to_graph(self) -> Graph:
        """The ``sh:ValidationReport`` graph pyshacl produced."""
        return self.graph

    def to_turtle(self) -> str:
        return self.graph.serialize(format="turtle")


def results_of(report: Graph, shapes: Graph) -> list[ValidationResult]:
    """The results of pyshacl's report graph, in :func:`result_order`."""
    results = []
    for node in report.objects(None, SH.result):
        shape = report.value(node, SH.sourceShape)
        severity = report.value(node, SH.resultSeverity)
        path = report.value(node, SH.resultPath)
        value = report.value(node, SH.value)
        results.append(
            ValidationResult(
                focus_node=_node_str(report.value(node, SH.focusNode)),
                path=None if path is None else _path_str(report, path, top=True),
                value=None if value is None else _node_str(value),
                message=_messages(report, node, shapes),
                severity=t.cast(Severity, str(severity).rsplit("#", 1)[-1]),
                source_shape=_node_str(shape),
                article=_article(shapes, shape),
                constraint=_node_str(report.value(node, SH.sourceConstraintComponent)),
            )
        )
    results.sort(key=result_order)
    return results


def result_order(result: ValidationResult) -> tuple[int, str, str, str, str]:
    """The order of a report's results: violations first, then by focus node and shape."""
    return (_SEVERITY_RANK.get(result.severity, 3), result.focus_node, result.source_shape,
            result.path or "", result.value or "")


def _node_str(node: Node | None) -> str:
    if isinstance(node, BNode):
        return f"_:{node}"
    return "" if node is None else str(node)


def _path_str(graph: Graph, path: Node, top: bool = False) -> str:
    """A SHACL path as SPARQL property-path text; a lone predicate is just its IRI."""
    if isinstance(path, URIRef):
        return str(path) if top else f"<{path}>"
    if (path, RDF.first, None) in graph:
        text = "/".join(_path_str(graph, step) for step in graph.items(path))
        return text if top else f"({text})"
    alternatives = graph.value(path, SH.alternativePath)
    if alternatives is not None:
        text = "|".join(_path_str(graph, step) for step in graph.items(alternatives))
        return text if top else f"({text})"
    for predicate, prefix, suffix in (
        (SH.inversePath, "^", ""),
        (SH.zeroOrMorePath, "", "*"),
        (SH.oneOrMorePath, "", "+"),
        (SH.zeroOrOnePath, "", "?"),
    ):
        inner = graph.value(path, predicate)
        if inner is not None:
            return f"{prefix}{_path_str(graph, inner)}{suffix}"
    return _node_str(path)


def _messages(report: Graph, result: Node, shapes: Graph) -> dict[str, str]:
    """Messages by language, putting back the tags pyshacl dropped (module docstring)."""
    sources = (report.value(result, SH.sourceConstraint), report.value(result, SH.sourceShape))
    templates = [m for s in sources if s is not None for m in shapes.objects(s, SH.message)]
    messages: dict[str, str] = {}
    for message in report.objects(result, SH.resultMessage):
        text = str(message)
        lang = message.language if isinstance(message, Literal) else None
        if lang is None:
            lang = next((getattr(m, "language", None) for m in templates if _fills(m, text)), None)
        messages.setdefault(lang or "", text)
    return dict(sorted(messages.items()))


def _fills(template: Node, text: str) -> bool:
    """Whether ``text`` is ``template`` with its ``{?var}``/``{$var}`` placeholders filled."""
    pattern = re.sub(r"\\\{[?$]\w+\\\}", ".*?", re.escape(str(template)))
    return re.fullmatch(pattern, text, flags=re.DOTALL) is not None


def _article(shapes: Graph, shape: Node | None) -> str | None:
    """The shape's ``dct:source``, else that of the node shape holding it."""
    if shape is None:
        return None
    source = shapes.value(shape, DCTERMS.source)
    if source is None:
        parent = shapes.value(None, SH.property, shape)
        source = None if parent is None else shapes.value(parent, DCTERMS.source)
    return None if source is None else str(source)


def compact(text: str) -> str:
    """Shorten IRIs in ``text`` with psikg's prefixes, for human-readable lines."""
    for prefix, namespace in _COMPACT_PREFIXES.items():
        if text.startswith(namespace) and " " not in text:
            return f"{prefix}:{text[len(namespace) :]}"
        text = re.sub(rf"<{re.escape(namespace)}([^>]*)>", rf"{prefix}:\1", text)
    return text
