"""The shape and context files validation reads, parsed into rdflib graphs and cached.

Shape and context files are parsed with pyoxigraph, whose syntax errors carry a line and a
column, so a broken file is reported as ``file:line:col: reason`` (:class:`ShapesError`).
Parsed graphs are cached per file and modification time because the endpoint validates
again and again with the same shapes.
"""

from __future__ import annotations

import functools
import re
import typing as t
from pathlib import Path

import pyoxigraph
from rdflib import BNode
from rdflib import Graph
from rdflib import Literal
from rdflib import URIRef
from rdflib.namespace import RDF
from rdflib.namespace import SKOS
from rdflib.term import Node

from graph.errors import InputError

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


class ShapesError(InputError):
    """A shapes or context file that cannot be read, named as ``file:line:col: reason``."""

    def __init__(self, path: Path, reason: str, line: int | None = None, column: int | None = None):
        super().__init__(reason, type="invalid-shapes", file=str(path), line=line, column=column)
        self.path = path
        self.reason = reason

    def __str__(self) -> str:
        return self.one_line()


FileKey = tuple[tuple[str, int], ...]


def file_key(paths: t.Iterable[Path]) -> FileKey:
    """Paths with their modification times: an edited file misses the cache."""
    key = []
    for path in paths:
        try:
            key.append((str(path), Path(path).stat().st_mtime_ns))
        except OSError as error:
            raise ShapesError(Path(path), f"cannot read: {error.strerror}") from error
    return tuple(key)


@functools.lru_cache(maxsize=16)
def load_shapes(key: FileKey) -> Graph:
    graph = Graph()
    for path, _ in key:
        graph += _parse(Path(path))
    return graph


@functools.lru_cache(maxsize=16)
def load_context(key: FileKey) -> tuple[Graph, Graph]:
    """Split the context into (ontology, code lists), as :func:`graph.validation.shacl.validate`
    explains."""
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

