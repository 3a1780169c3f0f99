"""Validate data against the decree's SHACL shapes and return the result as values.

The command line, the store and the ``/validate`` endpoint all call :func:`validate`, which
wraps pyshacl the way the conformance notes (``conformance/README.md``) found to work:

- ``inference='none'``: RDFS inference over DCAT and DCTERMS adds errors, it removes none.
- The ontology goes in as ``ont_graph``: pyshacl copies its class and property axioms
  into the data graph, so ``sh:targetClass psi:Exclusivity`` also reaches a
  ``psi:CulturalDigitisationExclusivity``. It copies nothing about individuals, so the
  code lists (format flags, ``skos:inScheme`` of licences and codes) are merged into a copy
  of the data graph instead; the caller's graph is never touched.
- ``advanced=True``: the shapes pick their focus nodes with ``sh:SPARQLTarget`` (SHACL-AF),
  e.g. "datasets listed on the platform".
- Warnings do not fail: a report conforms when it holds no ``sh:Violation``.

Shape and context files are parsed with pyoxigraph, whose syntax errors carry a line and a
column, so a broken file is reported as ``file:line:col: reason`` (:class:`ShapesError`).
Parsed graphs are cached per file and modification time because the endpoint validates
again and again with the same shapes.

pyshacl drops the language tag of a SPARQL constraint's message when it fills in
``{?value}``-style placeholders; :func:`validate` gives each message its language back by
matching it against the ``sh:message`` templates of the shape that produced it.
"""

from __future__ import annotations

import functools
import re
import typing as t
from dataclasses import asdict
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph
import pyshacl
from rdflib import BNode
from rdflib import Graph
from rdflib import Literal
from rdflib import URIRef
from rdflib.namespace import DCTERMS
from rdflib.namespace import RDF
from rdflib.namespace import SH
from rdflib.namespace import SKOS
from rdflib.term import Node

from graph import settings
from graph.errors import InputError
from graph.namespaces import PREFIXES
from graph.namespaces import SCHEMA
from graph.namespaces import XSD

Severity = t.Literal["Violation", "Warning", "Info"]
_SEVERITY_RANK: dict[str, int] = {"Violation": 0, "Warning": 1, "Info": 2}
_XSD_STRING = XSD + "string"
_RDF_LANG_STRING = str(RDF.langString)
_COMPACT_PREFIXES = {**PREFIXES, "schema": SCHEMA}


class ShapesError(InputError):
    """A shapes or context file that cannot be read, named as ``file:line:col: reason``."""

    def __init__(self, path: Path, reason: str, line: int | None = None, column: int | None = None):
        super().__init__(reason, type="invalid-shapes", file=str(path), line=line, column=column)
        self.path = path
        self.reason = reason

    def __str__(self) -> str:
        return self.one_line()


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
            parts = [f"{r.severity}: {_compact(r.focus_node)}"]
            if r.path is not None:
                parts.append(f"path {_compact(r.path)}")
            if r.value is not None:
                parts.append(f"value {_compact(r.value)}")
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


def validate(
    data: Graph,
    shapes: list[Path] | None = None,
    *,
    context: list[Path] | None = None,
) -> ValidationReport:
    """Validate ``data`` against the decree's shapes.

    :param data: the graph to check; it is copied, never modified.
    :param shapes: shape files; :func:`graph.settings.shape_files` by default. A subset must
        include ``components.ttl``, which declares the SPARQL prefixes.
    :param context: ontology and code-list files; :func:`graph.settings.ontology_files` by
        default. Files that declare a ``skos:ConceptScheme`` are merged into the data, the
        others are passed to pyshacl as the ontology.
    :returns: the report; ``report.conforms`` is False only when there is a violation.
    :raises ShapesError: if a shapes or context file is missing or does not parse.
    """
    shapes_graph = _load(_file_key(settings.shape_files() if shapes is None else shapes))
    ontology, codelists = _load_context(
        _file_key(settings.ontology_files() if context is None else context)
    )
    target = Graph()
    target.addN((s, p, o, target) for s, p, o in data.triples((None, None, None)))
    target += codelists
    _, report_graph, _ = pyshacl.validate(
        target,
        shacl_graph=shapes_graph,
        ont_graph=ontology if len(ontology) else None,
        inference="none",
        advanced=True,
        allow_warnings=True,
        allow_infos=True,
        inplace=True,
    )
    results = _results(report_graph, shapes_graph)
    conforms = not any(r.severity == "Violation" for r in results)
    return ValidationReport(conforms=conforms, results=results, graph=report_graph)


FileKey = tuple[tuple[str, int], ...]


def _file_key(paths: t.Iterable[Path]) -> FileKey:
    """Paths with their modification times: an edited file misses the cache."""
    key = []
    for path in paths:
        try:
            key.append((str(path), Path(path).stat().st_mtime_ns))
        except OSError as error:
            raise ShapesError(Path(path), f"cannot read: {error.strerror}") from error
    return tuple(key)


@functools.lru_cache(maxsize=16)
def _load(key: FileKey) -> Graph:
    graph = Graph()
    for path, _ in key:
        graph += _parse(Path(path))
    return graph


@functools.lru_cache(maxsize=16)
def _load_context(key: FileKey) -> tuple[Graph, Graph]:
    """Split the context into (ontology, code lists) as explained in :func:`validate`."""
    ontology, codelists = Graph(), Graph()
    for path, _ in key:
        graph = _parse(Path(path))
        if (None, RDF.type, SKOS.ConceptScheme) in graph:
            codelists += graph
        else:
            ontology += graph
    return ontology, codelists


def _parse(path: Path) -> Graph:
    rdf_format = pyoxigraph.RdfFormat.from_extension(path.suffix.lstrip("."))
    if rdf_format is None:
        raise ShapesError(path, f"unknown RDF file extension {path.suffix!r}; use .ttl")
    graph = Graph()
    try:
        for quad in pyoxigraph.parse(path=path, format=rdf_format, rename_blank_nodes=True):
            graph.add((_term(quad.subject), _term(quad.predicate), _term(quad.object)))
    except SyntaxError as error:
        reason = re.sub(r"^Parser error (?:at|between) [^:]*: ", "", str(error.msg))
        raise ShapesError(path, reason, error.lineno, error.offset) from error
    except OSError as error:
        raise ShapesError(path, f"cannot read: {error.strerror}") from error
    return graph


def _term(term: t.Any) -> Node:
    """A pyoxigraph term as rdflib's Turtle parser would have made it."""
    if isinstance(term, pyoxigraph.NamedNode):
        return URIRef(term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return BNode(term.value)
    if isinstance(term, pyoxigraph.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype in (_XSD_STRING, _RDF_LANG_STRING):
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise TypeError(f"unsupported RDF term in a shapes or context file: {term!r}")


def _results(report: Graph, shapes: Graph) -> list[ValidationResult]:
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
    results.sort(
        key=lambda r: (
            _SEVERITY_RANK.get(r.severity, 3),
            r.focus_node,
            r.source_shape,
            r.path or "",
            r.value or "",
        )
    )
    return results


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


def _compact(text: str) -> str:
    """Shorten IRIs in ``text`` with psikg's prefixes, for human-readable lines."""
    for prefix, namespace in _COMPACT_PREFIXES.items():
        if text.startswith(namespace) and " " not in text:
            return f"{prefix}:{text[len(namespace) :]}"
        text = re.sub(rf"<{re.escape(namespace)}([^>]*)>", rf"{prefix}:\1", text)
    return text
