"""What one harvest did, as a value: printed by ``psikg harvest``, stored as RDF.

A :class:`HarvestReport` is built whether the harvest worked, found the source
unchanged, or failed. Its RDF form (:meth:`HarvestReport.triples`) is the
source's *report graph* ``{graph}/report``, replaced on every harvest that is
not "unchanged" (an unchanged source rewrites nothing at all):

- the run, a ``prov:Activity`` that ``prov:used`` the URL, with its start and end
  times, ``http:statusCodeValue`` and the pages read (``void:dataDump``);
- one ``dqv:QualityMeasurement`` per count (datasets, each repair), computed on
  the data graph (``dqv:computedOn``), of a ``dqv:Metric`` in ``PSI_HARVEST:`` that
  the same graph labels in four languages;
- one ``dqv:QualityAnnotation`` per problem left as it came or per failure,
  ``oa:hasTarget`` the node, ``dct:type`` the problem's slug, ``rdfs:comment`` the
  message;
- the provenance of machine translations (reified statements, see
  :mod:`loaders.harvest.repairs`).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from dataclasses import field
from datetime import datetime
from typing import Any

import pyoxigraph as ox

from graph.errors import PsikgError
from graph.namespaces import DCT
from graph.namespaces import DQV
from graph.namespaces import HTTP
from graph.namespaces import OA
from graph.namespaces import PROV
from graph.namespaces import PSI_HARVEST
from graph.namespaces import RDF
from graph.namespaces import RDFS
from graph.namespaces import SKOS
from graph.namespaces import VOID
from graph.namespaces import XSD
from graph.words import HARVEST_METRICS


@dataclass(frozen=True)
class Problem:
    """Something a harvest left as it came (it could not repair it), or why a source failed."""

    type: str
    message: str
    node: str | None = None
    path: str | None = None
    value: str | None = None

    def line(self) -> str:
        where = f"{self.node} " if self.node else ""
        return f"{where}{self.type}: {self.message}"


@dataclass
class HarvestReport:
    """The outcome of harvesting one source."""

    name: str
    url: str
    graph: str
    started: datetime
    status: str = "failed"
    """``harvested``, ``unchanged`` or ``failed``."""
    ended: datetime | None = None
    http_status: int | None = None
    etag: str | None = None
    last_modified: str | None = None
    checksum: str | None = None
    pages: list[str] = field(default_factory=list)
    datasets: int = 0
    triples: int = 0
    repairs: Counter[str] = field(default_factory=Counter)
    problems: list[Problem] = field(default_factory=list)
    error: PsikgError | None = None
    duplicates: int = 0
    records: list[ox.Triple] = field(default_factory=list)
    renames: dict[str, str] = field(default_factory=dict)
    """Original IRI → the IRI under the base (:mod:`loaders.harvest.local_iris`)."""
    validators: dict[str, PageValidators] = field(default_factory=dict)
    """Per page URL, what the next harvest asks it conditionally with."""
    warnings: list[Problem] = field(default_factory=list)
    """Steps after the commit that failed (linking, quality): the harvested graph stays."""

    @property
    def run_iri(self) -> str:
        stamp = self.started.strftime("%Y%m%dT%H%M%SZ")
        return f"{self.graph}/run/{stamp}"

    @property
    def report_graph(self) -> str:
        return report_graph_of(self.graph)

    def summary(self) -> str:
        """One line: name, status, counts."""
        if self.status == "failed" and self.error is not None:
            return f"{self.name}: failed: {self.error.one_line()}"
        if self.status == "unchanged":
            return f"{self.name}: unchanged since the last harvest ({self.url})"
        repairs = sum(self.repairs.values())
        return (f"{self.name}: {self.datasets} datasets, {self.triples} triples into "
                f"<{self.graph}> from {len(self.pages)} page{'s' if len(self.pages) != 1 else ''}; "
                f"{repairs} repairs, {len(self.problems)} problems left as they came"
                + (f", {self.duplicates} datasets also harvested from another portal"
                   if self.duplicates else ""))

    def lines(self, limit: int = 5) -> list[str]:
        """The summary, then repairs by kind and problems by type (``limit`` examples)."""
        lines = [self.summary()]
        for slug, count in sorted(self.repairs.items()):
            if count and self.status == "harvested":
                lines.append(f"  repaired {count:>6}  {slug}")
        by_type = Counter(p.type for p in self.problems)
        for slug, count in sorted(by_type.items()):
            lines.append(f"  left     {count:>6}  {slug}")
        for problem in self.problems[:limit]:
            lines.append(f"    {problem.line()}")
        if len(self.problems) > limit:
            lines.append(f"    … and {len(self.problems) - limit} more (psikg graphs lists the "
                         "report graph; query it for all)")
        return lines + self.warning_lines()

    def warning_lines(self) -> list[str]:
        """One line per step after the commit that failed."""
        return [f"  warning: {warning.type}: {warning.message}" for warning in self.warnings]

    def as_dict(self) -> dict[str, Any]:
        """The report with stable keys, for ``--json``."""
        return {
            "source": self.name, "url": self.url, "graph": self.graph, "status": self.status,
            "started": self.started.isoformat(),
            "ended": self.ended.isoformat() if self.ended else None,
            "http_status": self.http_status, "etag": self.etag,
            "last_modified": self.last_modified, "sha256": self.checksum, "pages": self.pages,
            "datasets": self.datasets, "triples": self.triples, "repairs": dict(self.repairs),
            "problems": [vars(p) for p in self.problems],
            "error": self.error.as_dict() if self.error else None,
            "duplicates": self.duplicates,
            "warnings": [vars(w) for w in self.warnings],
        }

    def rdf(self) -> list[ox.Triple]:
        """The report graph's triples (see the module docstring)."""
        run = ox.NamedNode(self.run_iri)
        data = ox.NamedNode(self.graph)
        out = [_t(run, RDF + "type", ox.NamedNode(PROV + "Activity")),
               _t(run, RDFS + "label", ox.Literal(f"harvest of {self.name}", language="en")),
               _t(run, PROV + "used", ox.NamedNode(self.url)),
               _t(run, PROV + "startedAtTime", _datetime(self.started)),
               _t(run, DCT + "type", ox.NamedNode(PSI_HARVEST + self.status))]
        if self.ended:
            out.append(_t(run, PROV + "endedAtTime", _datetime(self.ended)))
        if self.http_status is not None:
            out.append(_t(run, HTTP + "statusCodeValue", _integer(self.http_status)))
        if self.status == "harvested":
            out.append(_t(run, PROV + "generated", data))
        out += [_t(run, VOID + "dataDump", ox.NamedNode(page)) for page in self.pages]
        counts = {"datasets": self.datasets, **self.repairs} if self.status == "harvested" else {}
        for slug, count in counts.items():
            measurement = ox.NamedNode(f"{self.run_iri}#{slug}")
            out += [_t(measurement, RDF + "type", ox.NamedNode(DQV + "QualityMeasurement")),
                    _t(measurement, DQV + "computedOn", data),
                    _t(measurement, DQV + "isMeasurementOf", ox.NamedNode(PSI_HARVEST + slug)),
                    _t(measurement, DQV + "value", _integer(count)),
                    _t(measurement, PROV + "wasGeneratedBy", run)]
        for slug in counts:
            out += _metric(slug)
        problems = list(self.problems)
        if self.error is not None:
            problems.append(Problem(self.error.type, self.error.one_line(), node=self.url))
        for problem in problems:
            digest = hashlib.sha256(repr(problem).encode()).hexdigest()[:16]
            note = ox.NamedNode(f"{self.run_iri}#problem-{digest}")
            out += [_t(note, RDF + "type", ox.NamedNode(DQV + "QualityAnnotation")),
                    _t(note, DCT + "type", ox.NamedNode(PSI_HARVEST + "problem/" + problem.type)),
                    _t(note, RDFS + "comment", ox.Literal(problem.message)),
                    _t(note, PROV + "wasGeneratedBy", run)]
            if problem.node and not problem.node.startswith("_:"):
                out.append(_t(note, OA + "hasTarget", ox.NamedNode(problem.node)))
            if problem.path:
                out.append(_t(note, RDF + "predicate", ox.NamedNode(problem.path)))
            if problem.value is not None:
                out.append(_t(note, RDF + "value", ox.Literal(problem.value)))
        if self.status == "harvested":
            for page, validators in self.validators.items():
                out += validators.triples(page)
        return out + self.records


@dataclass(frozen=True)
class PageValidators:
    """One page's ETag, Last-Modified and SHA-256, as the last harvest read them."""

    etag: str | None
    last_modified: str | None
    sha256: str

    def triples(self, page: str) -> list[ox.Triple]:
        """``<page> harvest:etag …; harvest:lastModified …; harvest:sha256 …`` (raw header
        values: they go back to the server as they came)."""
        node = ox.NamedNode(page)
        out = [_t(node, PSI_HARVEST + "sha256", ox.Literal(self.sha256))]
        if self.etag:
            out.append(_t(node, PSI_HARVEST + "etag", ox.Literal(self.etag)))
        if self.last_modified:
            out.append(_t(node, PSI_HARVEST + "lastModified", ox.Literal(self.last_modified)))
        return out


def report_graph_of(graph: str) -> str:
    """The report graph of a harvested source's data graph."""
    return f"{graph}/report"


def _metric(slug: str) -> list[ox.Triple]:
    metric = ox.NamedNode(PSI_HARVEST + slug)
    labels = HARVEST_METRICS.get(slug, {"en": slug})
    return [_t(metric, RDF + "type", ox.NamedNode(DQV + "Metric")),
            *(_t(metric, SKOS + "prefLabel", ox.Literal(text, language=lang))
              for lang, text in labels.items())]


def _t(subject: ox.NamedNode, predicate: str, value: ox.NamedNode | ox.Literal) -> ox.Triple:
    return ox.Triple(subject, ox.NamedNode(predicate), value)


def _datetime(value: datetime) -> ox.Literal:
    return ox.Literal(value.isoformat().replace("+00:00", "Z"),
                      datatype=ox.NamedNode(XSD + "dateTime"))


def _integer(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=ox.NamedNode(XSD + "integer"))
