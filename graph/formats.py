"""Every format psikg reads, writes or answers in, as values: one registry.

pyoxigraph's :class:`~pyoxigraph.RdfFormat` and :class:`~pyoxigraph.QueryResultsFormat`
are the model (a value that knows its media type and extension, found with
``from_media_type`` and ``from_extension``). A :class:`Format` adds what psikg needs
beside them: the short name users type (``--format turtle``, ``?format=ttl``), the other
media types and extensions that mean it, what it holds, and the W3C format IRI that
provenance and the service description record. Tables (CSV, XLSX…) and pages (HTML, the
JSON twin) are formats too.

The command line, the loaders, the harvester, content negotiation
(:mod:`endpoint.negotiation`) and the downloads (:mod:`graph.canned.downloads`) all read
this module. The groups below say which formats each of them offers, in its order of
preference.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pyoxigraph import QueryResultsFormat
from pyoxigraph import RdfFormat

from graph.errors import UsageError
from graph.namespaces import FORMATS

Holds = Literal["graph", "dataset", "results", "table", "page"]
"""What a format holds: RDF triples, RDF quads (named graphs), SPARQL SELECT or ASK
results, a table of cells, a page of the UI."""


@dataclass(frozen=True)
class Format:
    """A format: its name, media type and extension, and what it holds."""

    name: str
    """What ``--format`` and ``?format=`` take: ``turtle``, ``json``…"""
    media_type: str
    extension: str
    """The extension files of it get, without the dot."""
    holds: tuple[Holds, ...] = ()
    aliases: tuple[str, ...] = ()
    """Other media types that mean this format (``application/json`` for SPARQL JSON)."""
    names: tuple[str, ...] = ()
    """Other values of ``format=`` that mean this format (SPARQLWrapper sends ``n3``)."""
    extensions: tuple[str, ...] = ()
    """Other extensions a file of it may have (``.owl`` for RDF/XML)."""
    rdf: RdfFormat | None = None
    results: QueryResultsFormat | None = None
    iri: str = ""
    """The W3C ``formats`` IRI (``dct:format`` in provenance, ``sd:resultFormat``); empty
    for the formats W3C names none of."""

    @property
    def content_type(self) -> str:
        """The ``Content-Type`` header value, with a charset for text types."""
        textual = self.media_type.startswith("text/") or self.media_type.endswith(
            ("+json", "+xml", "/json", "/xml", "/trig", "/n-triples", "/n-quads"))
        return f"{self.media_type}; charset=utf-8" if textual else self.media_type

    def matches(self, media_type: str) -> bool:
        """Whether ``media_type`` (lower case, without parameters) means this format."""
        return media_type == self.media_type or media_type in self.aliases

    @property
    def holds_datasets(self) -> bool:
        """Whether a document of this format may name its own graphs."""
        return "dataset" in self.holds


def _rdf(name: str, fmt: RdfFormat, holds: tuple[Holds, ...], *aliases: str,
         names: tuple[str, ...] = (), extensions: tuple[str, ...] = (),
         iri: str = "") -> Format:
    return Format(name, fmt.media_type.split(";")[0], fmt.file_extension, holds, aliases,
                  names, extensions, rdf=fmt, iri=iri)


def _results(name: str, fmt: QueryResultsFormat, *aliases: str, holds: tuple[Holds, ...] = (
        "results",), iri: str) -> Format:
    return Format(name, fmt.media_type.split(";")[0], fmt.file_extension, holds, aliases,
                  results=fmt, iri=iri)


TURTLE = _rdf("turtle", RdfFormat.TURTLE, ("graph",), "application/x-turtle",
              "application/turtle", "text/n3", names=("ttl", "n3"), extensions=("turtle",),
              iri=FORMATS + "Turtle")
NTRIPLES = _rdf("ntriples", RdfFormat.N_TRIPLES, ("graph",), "text/plain",
                names=("nt", "n-triples"),
                extensions=("ntriples",), iri=FORMATS + "N-Triples")
RDFXML = _rdf("rdfxml", RdfFormat.RDF_XML, ("graph",), "application/xml", "text/xml",
              names=("rdf+xml", "xml", "rdf", "rdf/xml"), extensions=("owl", "xml"),
              iri=FORMATS + "RDF_XML")
JSONLD = _rdf("jsonld", RdfFormat.JSON_LD, ("graph", "dataset"), "application/json",
              names=("json-ld", "json"), extensions=("json",), iri=FORMATS + "JSON-LD")
TRIG = _rdf("trig", RdfFormat.TRIG, ("graph", "dataset"), "application/x-trig",
            iri=FORMATS + "TriG")
NQUADS = _rdf("nquads", RdfFormat.N_QUADS, ("graph", "dataset"), "text/x-nquads",
              names=("nq", "n-quads"), extensions=("nquads",), iri=FORMATS + "N-Quads")
N3 = _rdf("n3", RdfFormat.N3, ("graph",), iri=FORMATS + "N3")
"""Read from harvested pages served as ``text/n3``; never written, never a file to load."""

SPARQL_JSON = _results("json", QueryResultsFormat.JSON, "application/json",
                       iri=FORMATS + "SPARQL_Results_JSON")
SPARQL_XML = _results("xml", QueryResultsFormat.XML, "application/xml", "text/xml",
                      iri=FORMATS + "SPARQL_Results_XML")
CSV = _results("csv", QueryResultsFormat.CSV, holds=("results", "table"),
               iri=FORMATS + "SPARQL_Results_CSV")
TSV = _results("tsv", QueryResultsFormat.TSV, "text/tab-separated-values",
               holds=("results", "table"), iri=FORMATS + "SPARQL_Results_TSV")

XLSX = Format("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
              "xlsx", ("table",))
XLS = Format("xls", "application/vnd.ms-excel", "xls", ("table",))
ODS = Format("ods", "application/vnd.oasis.opendocument.spreadsheet", "ods", ("table",))

HTML = Format("html", "text/html", "html", ("page",), ("application/xhtml+xml",))
"""The UI's page; offered only where a view for it is installed."""
JSON = Format("json", "application/json", "json", ("page",))
"""The JSON twin of a page: the same dict the HTML is rendered from."""

FILE_FORMATS = (TURTLE, TRIG, NTRIPLES, NQUADS, RDFXML, JSONLD)
"""The RDF files psikg loads and writes (``psikg load|export|convert --format``)."""
GRAPH_FORMATS = (TURTLE, NTRIPLES, RDFXML, JSONLD, TRIG, NQUADS)
"""CONSTRUCT and DESCRIBE results, Graph Store reads, the service description."""
DATASET_FORMATS = (TRIG, NQUADS)
"""The whole store in one document (``GET /store``)."""
JOINABLE_FORMATS = (TURTLE, NTRIPLES, TRIG, NQUADS)
"""RDF formats in which documents written one after the other read as one document (a
prefix or blank node label means the same in each): a graph too large to hold can be
written a batch at a time. Not RDF/XML nor JSON-LD, one root each."""
RESULT_FORMATS = (SPARQL_JSON, SPARQL_XML, CSV, TSV)
"""SELECT and ASK results."""
UPLOAD_FORMATS = GRAPH_FORMATS
"""What a Graph Store write may send."""
HARVEST_FORMATS = (*FILE_FORMATS, N3)
"""What a harvested page may be served as."""
TABLE_FORMATS = (CSV, TSV, XLSX, XLS, ODS)
"""The tables a registry comes in."""
REGISTRY = (*FILE_FORMATS, N3, *RESULT_FORMATS, XLSX, XLS, ODS, HTML, JSON)
"""Every format, the first of several with one media type or name winning."""

EXTENSIONS: dict[str, RdfFormat] = {
    "." + extension: f.rdf for f in FILE_FORMATS if f.rdf is not None
    for extension in (f.extension, *f.extensions)}
"""``.ttl`` → the RDF format of a file with that extension."""


def names(formats: Iterable[Format]) -> list[str]:
    """The short names of ``formats``, for a command's ``--format`` choices."""
    return [f.name for f in formats]


def from_name(name: str, among: Iterable[Format] = REGISTRY) -> Format | None:
    """The format ``among`` whose name (or other name) is ``name``, in any case."""
    wanted = name.strip().lower()
    candidates = list(among)
    return (next((f for f in candidates if f.name == wanted), None)
            or next((f for f in candidates if wanted in f.names), None))


def from_media_type(media_type: str, among: Iterable[Format] = REGISTRY) -> Format | None:
    """The format ``among`` that ``media_type`` means (parameters ignored), its own media
    type before another's alias.

    >>> from_media_type("text/n3").name, from_media_type("text/n3", GRAPH_FORMATS).name
    ('n3', 'turtle')
    """
    wanted = media_type.split(";", 1)[0].strip().lower()
    candidates = list(among)
    return (next((f for f in candidates if f.media_type == wanted), None)
            or next((f for f in candidates if wanted in f.aliases), None))


def from_extension(extension: str, among: Iterable[Format] = FILE_FORMATS) -> Format | None:
    """The format ``among`` of a file with this extension (``.ttl`` or ``ttl``, any case)."""
    wanted = extension.lower().removeprefix(".")
    return next((f for f in among if wanted and wanted in (f.extension, *f.extensions)), None)


def from_rdf(fmt: RdfFormat) -> Format:
    """psikg's value for one of pyoxigraph's RDF formats."""
    return next(f for f in REGISTRY if f.rdf == fmt)


def rdf_format(name: str) -> RdfFormat:
    """The RDF format with this short name (``turtle``, ``trig``…).

    :raises UsageError: if the name is not one of :data:`FILE_FORMATS`.
    """
    found = next((f for f in FILE_FORMATS if f.name == name.lower()), None)
    if found is None or found.rdf is None:
        raise UsageError(
            f"unknown RDF format {name!r}", type="unknown-format", value=name,
            expected="one of " + ", ".join(names(FILE_FORMATS)))
    return found.rdf


def rdf_format_of(path: Path, name: str | None = None) -> RdfFormat:
    """The format of an RDF file: the given name, else guessed from the extension.

    A trailing ``.gz`` is not supported on purpose: say ``--format`` after
    decompressing, so that checksums are of what was parsed.

    :raises UsageError: if no name is given and the extension is unknown.
    """
    if name:
        return rdf_format(name)
    try:
        return EXTENSIONS[path.suffix.lower()]
    except KeyError:
        raise UsageError(
            f"cannot tell the RDF format of {path.name!r} from its extension",
            type="unknown-format", file=str(path), value=path.suffix or "(none)",
            expected="an extension among " + " ".join(sorted(set(EXTENSIONS)))
            + " or --format " + "|".join(names(FILE_FORMATS)),
        ) from None


def holds_datasets(fmt: RdfFormat) -> bool:
    """Whether a file of this format may name its own graphs (TriG, N-Quads, JSON-LD)."""
    return from_rdf(fmt).holds_datasets


def check_dump_format(fmt: RdfFormat, graph: str | None) -> None:
    """A dump of the whole store (``graph`` ``None``) needs a dataset format; every store's
    ``dump`` checks it so.

    :raises UsageError: if a triple format is asked for the whole store.
    """
    if graph is None and not fmt.supports_datasets:
        raise UsageError(f"{fmt.name} holds a single graph; give --graph, or use a "
                         "dataset format", type="format-needs-graph",
                         expected="--format nquads or trig")
