"""What a load hands the store, and what the store says back: sources, staged loads, graphs.

:class:`Source` is one RDF input (a file, a stream a converter writes, or parts; the files
of ``psikg load`` are described by :func:`file_sources`, for every store),
:class:`StagedLoad` what :meth:`graph.store.Store.stage` wrote where readers cannot see it
yet, :class:`LoadResult` what a commit made visible, :class:`GraphInfo` a graph as
``psikg graphs`` lists it. They are values, apart from the store that reads and writes
them (:mod:`graph.store`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path
from typing import IO
from typing import Any
from urllib.parse import quote

import pyoxigraph as ox

from graph.errors import InputError
from graph.errors import UsageError
from graph.formats import holds_datasets
from graph.formats import rdf_format_of
from graph.provenance import Provenance
from graph.provenance import ValidationSummary
from graph.xml_check import check_well_formed
from graph.xml_check import rdfxml_error_position


@dataclass(frozen=True)
class GraphInfo:
    """A named graph as ``psikg graphs`` lists it."""

    iri: str
    triples: int
    provenance: Provenance | None
    validation: ValidationSummary | None


@dataclass(frozen=True)
class LoadResult:
    """What one load wrote: the graphs and their triple counts."""

    origin: str
    checksum: str
    graphs: dict[str, int]

    @property
    def triples(self) -> int:
        return sum(self.graphs.values())


@dataclass(frozen=True)
class Source:
    """One RDF input of a load: a file, or a byte stream a converter writes.

    :param origin: IRI of where the data came from (``file:`` or ``https:``);
        also the base IRI for relative IRIs, and how a reload finds the graphs
        to replace.
    :param default_graph: graph for triples (and for a dataset's default graph).
    :param keep_graph_names: whether a dataset format keeps its own graph names.
    :param checksum: SHA-256 of what was read; computed from ``path`` if absent.
    :param extra: more provenance about each graph, as (predicate IRI, object) pairs.
    :param parts: instead of ``path`` or ``stream``, the data as whole documents in turn
        (a converter's output cut between rows, no blank node shared by two parts: each
        ``bulk_load`` call has its own blank nodes). Each part is bulk-loaded in a worker
        thread while the caller's iterator makes the next: pyoxigraph releases the GIL
        while it sorts and writes, so a Python converter and the store share two cores,
        and the loader holds one part, not a batch of a million quads.
    :param loaders: how many parts are bulk-loaded at once. Two calls of ``bulk_load`` on
        two cores write their sorted files side by side; each holds its part in memory
        (the store's peak grows with the part, ``bench/parts.py``), so the registry loader
        keeps one.
    :param lenient: the text is psikg's own N-Triples, written by Oxigraph and edited by
        psikg (a harvest's renamed statements): its IRIs are not checked a second time.
    """

    origin: str
    fmt: ox.RdfFormat
    default_graph: str
    path: Path | None = None
    stream: IO[bytes] | None = None
    keep_graph_names: bool = False
    checksum: str | None = None
    extra: tuple[tuple[str, ox.NamedNode | ox.Literal], ...] = ()
    parts: Iterable[bytes] | None = None
    loaders: int = 1
    lenient: bool = False

    @property
    def label(self) -> str:
        """How errors name the source: its path, else its origin."""
        return str(self.path) if self.path else self.origin

    def reader_arguments(self) -> dict[str, Any]:
        """How pyoxigraph is told to read it: ``input=`` the stream, else ``path=`` the file."""
        if self.stream is not None:
            return {"input": self.stream}
        if self.path is None:
            raise ValueError(f"source {self.origin} has neither a path nor a stream")
        return {"path": str(self.path)}


@dataclass
class StagedLoad:
    """Sources written where readers cannot see them, waiting for commit or abort."""

    sources: list[Source]
    places: list[dict[str, str]] = field(default_factory=list)
    """Per source: final graph name → where its triples are now (itself, or staging)."""
    counts: list[dict[str, int]] = field(default_factory=list)
    """Per source: final graph name → triples."""

    def where(self, graph: str) -> str:
        """The graph to read to see what will become ``graph`` (e.g. to validate it first)."""
        for places in self.places:
            if graph in places:
                return places[graph]
        raise KeyError(graph)

    def refuse_shared_graphs(self) -> None:
        """Two sources of one load may not write one graph: the second would erase the first."""
        owner: dict[str, Source] = {}
        for source, places in zip(self.sources, self.places, strict=True):
            for name in places:
                if name in owner:
                    raise UsageError(
                        f"{owner[name].label} and {source.label} both load graph {name}; "
                        "load them separately or rename one", type="graph-conflict",
                        file=source.label, value=name)
                owner[name] = source


def sha256_of(path: Path | None) -> str:
    """The SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    if path is None:
        raise ValueError("a stream source must bring its own checksum")
    with path.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def parse_error(error: SyntaxError, path: Path | str, *, rdf_xml: bytes | None = None,
                base_iri: str | None = None) -> InputError:
    """A pyoxigraph parse error as an :class:`InputError` that names the file and position.

    :param rdf_xml: the document, if it is RDF/XML: pyoxigraph's RDF/XML errors have no
        position, and :func:`graph.xml_check.rdfxml_error_position` finds it in the text.
    """
    text = error.msg
    if "LoadDocumentCallback" in text:
        return InputError(
            "JSON-LD loads a remote @context; psikg never fetches remote contexts",
            type="remote-context", file=str(path), expected="an inline @context",
        )
    for prefix in ("Parser error at line", "error at"):
        if text.startswith(prefix):
            text = text.split(": ", 1)[-1]
    line, column = getattr(error, "lineno", None), getattr(error, "offset", None)
    if line is None and rdf_xml is not None:
        line, column = rdfxml_error_position(rdf_xml, base_iri) or (None, None)
    return InputError(text, type="invalid-rdf", file=str(path), line=line, column=column)


def source_parse_error(error: SyntaxError, source: Source) -> InputError:
    """:func:`parse_error` for a source, with its text when it is an RDF/XML file (whose
    errors pyoxigraph gives without a position)."""
    xml = source.path.read_bytes() if source.path is not None and (
        source.fmt == ox.RdfFormat.RDF_XML) else None
    return parse_error(error, source.label, rdf_xml=xml, base_iri=source.origin)


def source_ntriples(source: Source) -> bytes:
    """A triple source read here (relative IRIs against its origin, as offline) as
    N-Triples, for a store that receives text rather than reading the file itself.

    :raises InputError: if it does not parse.
    """
    try:
        quads = ox.parse(**source.reader_arguments(), format=source.fmt, base_iri=source.origin)
        return ox.serialize((quad.triple for quad in quads),
                            format=ox.RdfFormat.N_TRIPLES) or b""
    except SyntaxError as error:
        raise source_parse_error(error, source) from None


def triples_by_graph(source: Source) -> dict[str, list[ox.Triple]]:
    """A dataset source's triples by the graph they go to: their own graph if the source
    keeps graph names, else (and for its default graph) :attr:`Source.default_graph`.

    :raises InputError: if it does not parse.
    """
    by_graph: dict[str, list[ox.Triple]] = {}
    try:
        for quad in ox.parse(**source.reader_arguments(), format=source.fmt,
                             base_iri=source.origin):
            name = quad.graph_name
            dest = (name.value if source.keep_graph_names and isinstance(name, ox.NamedNode)
                    else source.default_graph)
            by_graph.setdefault(dest, []).append(quad.triple)
    except SyntaxError as error:
        raise source_parse_error(error, source) from None
    return by_graph


def source_graph(base_iri: str, path: Path) -> str:
    """The graph name minted for a source file under ``base_iri``: ``{base}graph/{name}``."""
    return f"{base_iri}graph/{quote(path.name)}"


def file_sources(base_iri: str, paths: list[Path], graph: str | None,
                 format_name: str | None) -> list[Source]:
    """The RDF files of one ``psikg load`` as sources, into ``graph`` or each its own.

    :raises UsageError: if ``graph`` is given for several files, or a format is unknown.
    :raises InputError: if a file is missing or is malformed RDF/XML.
    """
    if graph is not None and len(paths) > 1:
        raise UsageError("--graph names one graph; give it with one file only",
                         type="graph-for-many-files", value=graph)
    return [file_source(Path(path), graph or source_graph(base_iri, Path(path)), graph is None,
                        format_name) for path in paths]


class FileLoading:
    """What every store does alike with RDF files: name their graphs, describe them as
    sources, and load them by staging and committing. The embedded store, a served one and
    a remote one mix it in and give :attr:`base_iri`, :meth:`stage` and :meth:`commit`."""

    base_iri: str

    def stage(self, sources: list[Source], *, compact: bool = False) -> StagedLoad:
        raise NotImplementedError

    def commit(self, staged: StagedLoad) -> list[LoadResult]:
        raise NotImplementedError

    def source_graph(self, path: Path) -> str:
        """The graph name minted for a source file: ``{base}graph/{file name}``."""
        return source_graph(self.base_iri, path)

    def file_source(self, path: Path, *, graph: str | None = None,
                    format_name: str | None = None) -> Source:
        """Describe an RDF file as a :class:`Source`; see :func:`file_source`."""
        return file_source(path, graph or self.source_graph(path), graph is None, format_name)

    def load_files(self, paths: list[Path], *, graph: str | None = None,
                   format_name: str | None = None) -> list[LoadResult]:
        """Load RDF files, each replacing the graphs it loaded last time, all or nothing.

        Triple formats go into ``graph`` or :meth:`source_graph`. TriG, N-Quads
        and JSON-LD keep their own graph names unless ``graph`` is given; their
        default-graph triples go to :meth:`source_graph`. Every file is staged
        first; the graphs are swapped in only if all of them parsed.

        :raises InputError: if a file is missing or does not parse (nothing is changed).
        :raises UsageError: if a format is unknown, or ``graph`` is reserved or given
            for several files.
        """
        return self.commit(self.stage(file_sources(self.base_iri, paths, graph, format_name)))


def checked_rdf_file(path: Path, format_name: str | None = None) -> ox.RdfFormat:
    """The RDF format of the file at ``path``, once it is known to exist and, for RDF/XML,
    to be well-formed XML (checked before anything is read into a store).

    :raises InputError: if the file is missing or is malformed RDF/XML.
    :raises UsageError: if its format is unknown.
    """
    if not path.is_file():
        raise InputError(f"no such file: {path}", type="missing-file", file=str(path))
    fmt = rdf_format_of(path, format_name)
    if fmt == ox.RdfFormat.RDF_XML:
        check_well_formed(path)
    return fmt


def file_source(path: Path, graph: str, keep_graph_names: bool,
                format_name: str | None = None) -> Source:
    """Describe an RDF file as a :class:`Source`, checking it before anything is written.

    :param graph: the graph of its triples (and of a dataset's default graph).
    :param keep_graph_names: whether a dataset format keeps its own graph names.
    :raises InputError: if the file is missing or is malformed RDF/XML.
    :raises UsageError: if its format is unknown.
    """
    fmt = checked_rdf_file(path, format_name)
    return Source(origin=path.resolve().as_uri(), fmt=fmt, path=path, default_graph=graph,
                  keep_graph_names=keep_graph_names and holds_datasets(fmt))
