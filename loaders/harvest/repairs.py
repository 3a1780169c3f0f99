"""Repairs of the defects real portals publish, each one counted.

They run on the default graph of the in-memory working store
(:mod:`loaders.harvest.document`), mostly as SPARQL updates so that a large
catalog with few defects costs a few index scans, not a Python loop over every
triple. Only the triples a repair touches come back to Python (a literal to map,
a language tag to split, a blank node to name).

Each repair has a stable slug (the ``type`` of the counts in the harvest report):

``dcat-ap-3-property``  DCAT-AP 1.x/2.x properties replaced by their DCAT-AP 3 equivalents;
``literal-to-vocabulary``  a theme, format, media type, licence, language, frequency or
    access right given as a string, replaced by the EU vocabulary IRI;
``iri-to-vocabulary``  a licence IRI of another register (creativecommons.org) or a theme
    IRI with a private fragment (``data-theme/EDUC#SPORT``) replaced by the EU IRI;
``email-to-iri``  a contact e-mail given as a string, made a ``mailto:`` IRI;
``blank-node-dataset``, ``blank-node-distribution``  a blank node given a stable IRI
    skolemised from the source and the dataset's identifier (or its content);
``machine-translation-tag``  ``"…"@nl-t-fr`` made ``"…"@nl``, the translation kept as
    provenance (a reified statement in the report graph, :func:`_translation_record`);
``escaped-html``  escaped or literal HTML in a description turned into text;
``relative-iri``  a relative IRI resolved against the page's URL (counted while parsing);
``hvd-legislation``  a dataset with an HVD category (and its distributions) made to cite
    Regulation (EU) 2023/138, the only basis an HVD category has.

What a repair cannot fix (a theme string in no table) is left as it came and
returned as a :class:`~loaders.harvest.report.Problem`.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field
from urllib.parse import quote

import pyoxigraph as ox

from graph.namespaces import ADMS
from graph.namespaces import DATA_THEME
from graph.namespaces import DCAT
from graph.namespaces import DCATAP
from graph.namespaces import DCT
from graph.namespaces import EU_AUTHORITY
from graph.namespaces import FOAF
from graph.namespaces import HVD_REGULATION
from graph.namespaces import IANA_MEDIA_TYPES
from graph.namespaces import LANGUAGE
from graph.namespaces import OWL
from graph.namespaces import PROV
from graph.namespaces import PSI_HARVEST
from graph.namespaces import RDF
from graph.namespaces import SCHEMA
from graph.namespaces import SCHEMA_HTTP
from graph.namespaces import VCARD
from graph.namespaces import XSD
from loaders.harvest import vocabulary as vocab
from loaders.harvest.html_text import HTML_TAGS
from loaders.harvest.html_text import html_to_text
from loaders.harvest.local_iris import prefix_of
from loaders.harvest.report import Problem

_RENAMES: list[tuple[str, str, str | None]] = [
    (OWL + "versionInfo", DCAT + "version", None),
    (DCT + "hasVersion", DCAT + "hasVersion", None),
    (DCT + "isVersionOf", DCAT + "isVersionOf", None),
    (ADMS + "contactPoint", DCAT + "contactPoint", None),
    (SCHEMA_HTTP + "startDate", DCAT + "startDate", DCT + "PeriodOfTime"),
    (SCHEMA_HTTP + "endDate", DCAT + "endDate", DCT + "PeriodOfTime"),
    (SCHEMA + "startDate", DCAT + "startDate", DCT + "PeriodOfTime"),
    (SCHEMA + "endDate", DCAT + "endDate", DCT + "PeriodOfTime"),
    (FOAF + "homepage", DCAT + "landingPage", DCAT + "Dataset"),
]
"""(DCAT-AP 1.x/2.x property, DCAT-AP 3 property, class its subject must have or None)."""

_DCAT_CLASSES = ("Catalog", "Dataset", "Distribution", "DataService", "DatasetSeries")

_LITERAL_TABLES: dict[str, tuple[str, dict[str, str]]] = {
    DCAT + "theme": ("theme", vocab.THEMES),
    DCT + "format": ("format", vocab.FILE_TYPES),
    DCT + "license": ("licence", vocab.LICENCES),
    DCT + "language": ("language", vocab.LANGUAGES),
    DCT + "accrualPeriodicity": ("frequency", vocab.FREQUENCIES),
    DCT + "accessRights": ("access right", vocab.ACCESS_RIGHTS),
}
_HTML_HINT = r"&(lt|gt|amp|quot|#[0-9]+|#x[0-9a-fA-F]+|nbsp);|" + HTML_TAGS


@dataclass
class RepairLog:
    """Counts by repair slug, the provenance triples of the report, and what was left as is."""

    counts: Counter[str] = field(default_factory=Counter)
    records: list[ox.Triple] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def repair(work: ox.Store, source_key: str, base_iri: str, relative_iris: int,
           translations: bool = True) -> RepairLog:
    """Run every repair on the default graph of ``work``.

    :param source_key: the source's short name, part of skolemised IRIs.
    :param base_iri: the deployment's base IRI; skolem IRIs are minted under it.
    :param relative_iris: relative IRIs resolved while parsing (counted there).
    :param translations: whether the text may hold a ``-t-`` language tag; ``False``
        skips the one repair that must scan every literal.
    """
    log = RepairLog()
    if relative_iris:
        log.counts["relative-iri"] = relative_iris
    _skolemise(work, log, base_iri, source_key)
    _rename_properties(work, log)
    _byte_size(work, log)
    _literals_to_vocabulary(work, log)
    _iris_to_vocabulary(work, log)
    _emails(work, log)
    if translations:
        _machine_translations(work, log)
    _html_descriptions(work, log)
    _hvd_legislation(work, log)
    return log


def _count(work: ox.Store, where: str) -> int:
    rows = work.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}")
    assert isinstance(rows, ox.QuerySolutions)
    return int(next(iter(rows))["n"].value)


def _rename_properties(work: ox.Store, log: RepairLog) -> None:
    for old, new, cls in _RENAMES:
        typed = (f"?s <{RDF}type> <{cls}> ." if cls else
                 "?s a ?t . VALUES ?t { " + " ".join(f"<{DCAT}{c}>" for c in _DCAT_CLASSES) + " }")
        where = f"?s <{old}> ?o . {typed}"
        if next(work.quads_for_pattern(None, ox.NamedNode(old), None, ox.DefaultGraph()),
                None) is None:
            continue
        found = _count(work, where)
        if found:
            work.update(f"DELETE {{ ?s <{old}> ?o }} INSERT {{ ?s <{new}> ?o }} "
                        f"WHERE {{ {where} }}")
            log.counts["dcat-ap-3-property"] += found


_INTEGERS = {ox.NamedNode(XSD + "nonNegativeInteger"), ox.NamedNode(XSD + "integer")}
"""Oxigraph stores ``xsd:nonNegativeInteger`` as ``xsd:integer``: both are already right
(the catalog writes the DCAT-AP datatype back, :mod:`endpoint.platform_catalog`)."""


def _byte_size(work: ox.Store, log: RepairLog) -> None:
    """DCAT-AP 3 types ``dcat:byteSize`` as ``xsd:nonNegativeInteger`` (2.x: ``xsd:decimal``)."""
    pred, target = ox.NamedNode(DCAT + "byteSize"), ox.NamedNode(XSD + "nonNegativeInteger")
    old, new = [], []
    for quad in _matching(work, pred.value, f"isLiteral(?o) && DATATYPE(?o) NOT IN "
                          f"(<{XSD}integer>, <{XSD}nonNegativeInteger>)"):
        value = quad.object
        if isinstance(value, ox.Literal) and value.datatype not in _INTEGERS and re.fullmatch(
                r"\s*[0-9]+(\.0*)?\s*", value.value):
            old.append(quad)
            new.append(ox.Quad(quad.subject, pred, ox.Literal(
                value.value.strip().split(".")[0], datatype=target)))
    _replace(work, old, new)
    log.counts["dcat-ap-3-property"] += len(new)


def _hvd_legislation(work: ox.Store, log: RepairLog) -> None:
    """An HVD category exists only under Regulation (EU) 2023/138: a dataset that has one, and
    its distributions, cite that regulation (the HVD profile requires it)."""
    law = f"<{HVD_REGULATION}>"
    cited = f"<{DCATAP}applicableLegislation>"
    where = (f"{{ ?d <{DCATAP}hvdCategory> ?c . BIND(?d AS ?x) }} UNION "
             f"{{ ?d <{DCATAP}hvdCategory> ?c ; <{DCAT}distribution> ?x }} "
             f"FILTER NOT EXISTS {{ ?x {cited} {law} }}")
    found = _count(work, f"{{ SELECT DISTINCT ?x WHERE {{ {where} }} }}")
    if found:
        work.update(f"INSERT {{ ?x {cited} {law} }} WHERE {{ {where} }}")
        log.counts["hvd-legislation"] += found


def _matching(work: ox.Store, predicate: str, condition: str) -> list[ox.Quad]:
    """The statements of ``predicate`` whose object ``?o`` meets ``condition``, found by the
    engine: only those come back to Python."""
    rows = work.query(f"SELECT ?s ?o WHERE {{ ?s <{predicate}> ?o FILTER({condition}) }}")
    assert isinstance(rows, ox.QuerySolutions)
    return [ox.Quad(row["s"], ox.NamedNode(predicate), row["o"]) for row in rows]


def _replace(work: ox.Store, old: Iterable[ox.Quad], new: Iterable[ox.Quad]) -> None:
    for quad in old:
        work.remove(quad)
    work.extend(new)


def _literals_to_vocabulary(work: ox.Store, log: RepairLog) -> None:
    media = ox.NamedNode(DCAT + "mediaType")
    for predicate, (what, table) in [*_LITERAL_TABLES.items(),
                                     (media.value, ("media type", vocab.MEDIA_TYPES))]:
        pred = ox.NamedNode(predicate)
        old, new = [], []
        for quad in _matching(work, predicate, "isLiteral(?o)"):
            assert isinstance(quad.object, ox.Literal)
            found = table.get(vocab.key(quad.object.value))
            if found is None:
                log.problems.append(Problem(
                    "unmapped-literal", f"{what} {quad.object.value!r} is a string that no "
                    f"table maps to an EU vocabulary IRI", node=_show(quad.subject),
                    path=predicate, value=quad.object.value))
                continue
            iri = IANA_MEDIA_TYPES + found if pred == media else found
            old.append(quad)
            new.append(ox.Quad(quad.subject, pred, ox.NamedNode(iri)))
        _replace(work, old, new)
        log.counts["literal-to-vocabulary"] += len(new)


def _iris_to_vocabulary(work: ox.Store, log: RepairLog) -> None:
    old, new = [], []
    licence, theme = ox.NamedNode(DCT + "license"), ox.NamedNode(DCAT + "theme")
    outside_eu = f"isIRI(?o) && !STRSTARTS(STR(?o), \"{EU_AUTHORITY}\")"
    for quad in _matching(work, licence.value, outside_eu):
        if isinstance(quad.object, ox.NamedNode):
            found = vocab.LICENCES.get(vocab.key(quad.object.value))
            if found:
                old.append(quad)
                new.append(ox.Quad(quad.subject, licence, ox.NamedNode(found)))
    for quad in _matching(work, theme.value, "isIRI(?o) && CONTAINS(STR(?o), \"#\")"):
        if not isinstance(quad.object, ox.NamedNode):
            continue
        value = quad.object.value
        if value.startswith(DATA_THEME) and "#" in value:
            code = value[len(DATA_THEME):].split("#", 1)[0]
            if code in vocab.THEME_LABELS:
                old.append(quad)
                new.append(ox.Quad(quad.subject, theme, ox.NamedNode(DATA_THEME + code)))
    _replace(work, old, new)
    log.counts["iri-to-vocabulary"] += len(new)


def _emails(work: ox.Store, log: RepairLog) -> None:
    pred = ox.NamedNode(VCARD + "hasEmail")
    old, new = [], []
    for quad in _matching(work, pred.value, "isLiteral(?o)"):
        if isinstance(quad.object, ox.Literal) and "@" in quad.object.value:
            address = quad.object.value.strip().removeprefix("mailto:")
            old.append(quad)
            iri = ox.NamedNode("mailto:" + quote(address, "@+.-_"))
            new.append(ox.Quad(quad.subject, pred, iri))
    _replace(work, old, new)
    log.counts["email-to-iri"] += len(new)


def _skolemise(work: ox.Store, log: RepairLog, base_iri: str, source_key: str) -> None:
    """Name blank datasets ``{base}harvest/{source}/dataset/{identifier}`` (else a hash of their
    statements) and blank distributions ``{dataset}/distribution/{hash of their URLs}``."""
    renames: dict[ox.BlankNode, ox.NamedNode] = {}
    kinds = (("Dataset", "blank-node-dataset"), ("DatasetSeries", "blank-node-dataset"),
             ("Catalog", "blank-node-catalog"), ("DataService", "blank-node-service"))
    prefix = prefix_of(base_iri, source_key)
    for cls, slug in kinds:
        for quad in work.quads_for_pattern(None, ox.NamedNode(RDF + "type"),
                                           ox.NamedNode(DCAT + cls), ox.DefaultGraph()):
            if isinstance(quad.subject, ox.BlankNode) and quad.subject not in renames:
                key = _identifier(work, quad.subject) or _content_hash(work, quad.subject)
                renames[quad.subject] = ox.NamedNode(
                    f"{prefix}{cls.lower()}/{quote(key, safe='')}")
                log.counts[slug] += 1
    for blank, iri in list(renames.items()):
        for quad in work.quads_for_pattern(blank, ox.NamedNode(DCAT + "distribution"), None,
                                           ox.DefaultGraph()):
            if isinstance(quad.object, ox.BlankNode) and quad.object not in renames:
                renames[quad.object] = ox.NamedNode(
                    f"{iri.value}/distribution/{_content_hash(work, quad.object)}")
                log.counts["blank-node-distribution"] += 1
    for quad in work.quads_for_pattern(None, ox.NamedNode(DCAT + "distribution"), None,
                                       ox.DefaultGraph()):
        if isinstance(quad.object, ox.BlankNode) and quad.object not in renames:
            owner = quad.subject
            if isinstance(owner, ox.BlankNode):
                owner = renames.get(owner, owner)
            if isinstance(owner, ox.Triple):
                continue
            renames[quad.object] = ox.NamedNode(
                f"{owner.value}/distribution/{_content_hash(work, quad.object)}")
            log.counts["blank-node-distribution"] += 1
    for blank, iri in renames.items():
        old = [*work.quads_for_pattern(blank, None, None, ox.DefaultGraph()),
               *work.quads_for_pattern(None, None, blank, ox.DefaultGraph())]
        new = [ox.Quad(iri if q.subject == blank else q.subject, q.predicate,
                       iri if q.object == blank else q.object) for q in old]
        _replace(work, old, new)


def _identifier(work: ox.Store, node: ox.BlankNode) -> str | None:
    for predicate in (DCT + "identifier", ADMS + "identifier"):
        for quad in work.quads_for_pattern(node, ox.NamedNode(predicate), None,
                                           ox.DefaultGraph()):
            if isinstance(quad.object, ox.Literal) and quad.object.value.strip():
                return quad.object.value.strip()
            if isinstance(quad.object, ox.NamedNode):
                return quad.object.value
    return None


def _content_hash(work: ox.Store, node: ox.BlankNode) -> str:
    """A digest of the node's statements whose objects are not blank: stable across harvests."""
    lines = sorted(f"{q.predicate} {q.object}" for q in
                   work.quads_for_pattern(node, None, None, ox.DefaultGraph())
                   if not isinstance(q.object, ox.BlankNode))
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()[:16]


def _machine_translations(work: ox.Store, log: RepairLog) -> None:
    """``"…"@nl-t-fr`` → ``"…"@nl``; a human ``@nl`` value of the same property wins, and the
    machine one then stays only in the report's provenance."""
    rows = work.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER(isLiteral(?o) && "
                      "CONTAINS(LCASE(LANG(?o)), \"-t-\")) }")
    assert isinstance(rows, ox.QuerySolutions)
    found = [(row["s"], row["p"], row["o"]) for row in rows]
    old, new = [], []
    for subject, predicate, literal in found:
        assert isinstance(literal, ox.Literal) and literal.language
        target, _, source = literal.language.lower().partition("-t-")
        normalised = ox.Literal(literal.value, language=target)
        human = any(isinstance(q.object, ox.Literal) and (q.object.language or "").lower() == target
                    for q in work.quads_for_pattern(subject, predicate, None, ox.DefaultGraph()))
        old.append(ox.Quad(subject, predicate, literal))
        if not human:
            new.append(ox.Quad(subject, predicate, normalised))
        log.records.extend(_translation_record(subject, predicate, normalised, literal.language,
                                               source.split("-", 1)[0], kept=not human))
    _replace(work, old, new)
    log.counts["machine-translation-tag"] += len(old)


def _translation_record(subject: ox.NamedNode | ox.BlankNode, predicate: ox.NamedNode,
                        value: ox.Literal, tag: str, source: str, kept: bool) -> list[ox.Triple]:
    """A reified statement: this value is a machine translation from ``source``, tagged ``tag``."""
    digest = hashlib.sha256(f"{subject}{predicate}{value}".encode()).hexdigest()[:16]
    node = ox.NamedNode(f"{PSI_HARVEST}translation/{digest}")
    triples = [
        ox.Triple(node, ox.NamedNode(RDF + "type"), ox.NamedNode(RDF + "Statement")),
        ox.Triple(node, ox.NamedNode(RDF + "subject"), subject),
        ox.Triple(node, ox.NamedNode(RDF + "predicate"), predicate),
        ox.Triple(node, ox.NamedNode(RDF + "object"), value),
        ox.Triple(node, ox.NamedNode(PROV + "wasGeneratedBy"),
                  ox.NamedNode(PSI_HARVEST + "machine-translation")),
        ox.Triple(node, ox.NamedNode(DCT + "conformsTo"), ox.Literal(tag)),
        ox.Triple(node, ox.NamedNode(PSI_HARVEST + "keptInData"),
                  ox.Literal("true" if kept else "false", datatype=ox.NamedNode(XSD + "boolean"))),
    ]
    if source in vocab.LANGUAGE_OF_TAG:
        triples.append(ox.Triple(node, ox.NamedNode(DCT + "source"),
                                 ox.NamedNode(LANGUAGE + vocab.LANGUAGE_OF_TAG[source])))
    return triples


def _html_descriptions(work: ox.Store, log: RepairLog) -> None:
    hint = _sparql_string(_HTML_HINT)
    rows = work.query(f"SELECT ?s ?o WHERE {{ ?s <{DCT}description> ?o "
                      f"FILTER(isLiteral(?o) && REGEX(STR(?o), {hint}, \"i\")) }}")
    assert isinstance(rows, ox.QuerySolutions)
    pred = ox.NamedNode(DCT + "description")
    old, new = [], []
    for row in rows:
        literal = row["o"]
        assert isinstance(literal, ox.Literal)
        text = html_to_text(literal.value)
        if text != literal.value:
            old.append(ox.Quad(row["s"], pred, literal))
            new.append(ox.Quad(row["s"], pred, ox.Literal(text, language=literal.language)
                               if literal.language else ox.Literal(text)))
    _replace(work, old, new)
    log.counts["escaped-html"] += len(new)


def _sparql_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _show(node: object) -> str:
    if isinstance(node, ox.BlankNode):
        return f"_:{node.value}"
    return str(getattr(node, "value", node))
