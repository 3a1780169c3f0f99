"""RDF and query-result formats as values, shared by files, the command line and HTTP.

pyoxigraph's :class:`~pyoxigraph.RdfFormat` and
:class:`~pyoxigraph.QueryResultsFormat` already know media types and file
extensions; this module adds the short names users type (``--format turtle``)
and the W3C format IRIs that provenance records.
"""

from __future__ import annotations

from pathlib import Path

from pyoxigraph import QueryResultsFormat
from pyoxigraph import RdfFormat

from graph.errors import UsageError
from graph.namespaces import FORMATS

RDF_FORMATS: dict[str, RdfFormat] = {
    "turtle": RdfFormat.TURTLE,
    "trig": RdfFormat.TRIG,
    "ntriples": RdfFormat.N_TRIPLES,
    "nquads": RdfFormat.N_QUADS,
    "rdfxml": RdfFormat.RDF_XML,
    "jsonld": RdfFormat.JSON_LD,
}
"""Short name of each RDF format psikg reads and writes."""

RESULT_FORMATS: dict[str, QueryResultsFormat] = {
    "json": QueryResultsFormat.JSON,
    "xml": QueryResultsFormat.XML,
    "csv": QueryResultsFormat.CSV,
    "tsv": QueryResultsFormat.TSV,
}
"""Short name of each SPARQL results format (SELECT and ASK)."""

FORMAT_IRIS: dict[RdfFormat, str] = {
    RdfFormat.TURTLE: FORMATS + "Turtle",
    RdfFormat.TRIG: FORMATS + "TriG",
    RdfFormat.N_TRIPLES: FORMATS + "N-Triples",
    RdfFormat.N_QUADS: FORMATS + "N-Quads",
    RdfFormat.RDF_XML: FORMATS + "RDF_XML",
    RdfFormat.JSON_LD: FORMATS + "JSON-LD",
}
"""The W3C ``formats`` IRI of each RDF format, for ``dct:format`` in provenance."""

EXTENSIONS: dict[str, RdfFormat] = {
    ".ttl": RdfFormat.TURTLE,
    ".turtle": RdfFormat.TURTLE,
    ".trig": RdfFormat.TRIG,
    ".nt": RdfFormat.N_TRIPLES,
    ".ntriples": RdfFormat.N_TRIPLES,
    ".nq": RdfFormat.N_QUADS,
    ".nquads": RdfFormat.N_QUADS,
    ".rdf": RdfFormat.RDF_XML,
    ".owl": RdfFormat.RDF_XML,
    ".xml": RdfFormat.RDF_XML,
    ".jsonld": RdfFormat.JSON_LD,
    ".json": RdfFormat.JSON_LD,
}


def rdf_format(name: str) -> RdfFormat:
    """The RDF format with this short name (``turtle``, ``trig``…).

    :raises UsageError: if the name is not one of :data:`RDF_FORMATS`.
    """
    try:
        return RDF_FORMATS[name.lower()]
    except KeyError:
        raise UsageError(
            f"unknown RDF format {name!r}", type="unknown-format", value=name,
            expected="one of " + ", ".join(RDF_FORMATS),
        ) from None


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
            + " or --format " + "|".join(RDF_FORMATS),
        ) from None


def holds_datasets(fmt: RdfFormat) -> bool:
    """Whether a file of this format may name its own graphs (TriG, N-Quads, JSON-LD)."""
    return bool(fmt.supports_datasets) or fmt == RdfFormat.JSON_LD
