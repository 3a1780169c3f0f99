"""The shape and context files validation reads: parsed once, cached per file and mtime.

Every part of validation reads shapes through :func:`shape_set`: pyshacl's run, the
shapes' SPARQL constraints on pyoxigraph, the focus nodes of the scoped validation. The
set is cached by its files and their modification times (the endpoint validates again and
again with the same shapes; an edited file misses the cache), and what each part derives
from it (the shapes without their SPARQL constraints, the target queries…) is kept on the
set (:meth:`ShapeSet.derived`), so no file is read twice. :data:`READS` counts the files
parsed.

Shape and context files are parsed with pyoxigraph, whose syntax errors carry a line and a
column, so a broken file is reported as ``file:line:col: reason`` (:class:`ShapesError`).
"""

from __future__ import annotations

import functools
import re
import typing as t
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path

import pyoxigraph
from rdflib import BNode
from rdflib import Graph
from rdflib import Literal
from rdflib import URIRef
from rdflib.namespace import RDF
from rdflib.namespace import RDFS
from rdflib.namespace import SKOS
from rdflib.term import Node

from graph import settings
from graph.errors import InputError
from graph.namespaces import XSD

_XSD_STRING = XSD + "string"
_RDF_LANG_STRING = str(RDF.langString)


class ShapesError(InputError):
    """A shapes or context file that cannot be read, named as ``file:line:col: reason``."""

    def __init__(self, path: Path, reason: str, line: int | None = None, column: int | None = None):
        super().__init__(reason, type="invalid-shapes", file=str(path), line=line, column=column)
        self.path = path
        self.reason = reason

    def __str__(self) -> str:
        return self.one_line()


FileKey = tuple[tuple[str, int], ...]
"""Files with their modification times (nanoseconds)."""
T = t.TypeVar("T")

READS: Counter[str] = Counter()
"""How many times each shapes or context file was parsed, by path."""


@dataclass(eq=False)
class ShapeSet:
    """A set of shape files and its context (ontology and code lists), parsed."""

    shapes_key: FileKey
    context_key: FileKey
    graph: Graph
    """Every shape file, merged."""
    ontology: Graph
    """The context files that are not code lists: pyshacl's ``ont_graph``."""
    codelists: Graph
    """The context files that declare a ``skos:ConceptScheme``: merged into the data."""
    _derived: dict[str, t.Any] = field(default_factory=dict, repr=False)

    def derived(self, name: str, build: Callable[[ShapeSet], T]) -> T:
        """What ``build`` makes of this set, built once and kept with it.

        :param name: what is built, unique among the callers (``"sparql-checks"``).
        """
        if name not in self._derived:
            self._derived[name] = build(self)
        return t.cast(T, self._derived[name])

    def subclasses(self, cls: str) -> set[str]:
        """``cls`` and its subclasses in the context, transitively."""
        context = self.derived("context", lambda s: s.ontology + s.codelists)
        return {str(c) for c in context.transitive_subjects(RDFS.subClassOf, URIRef(cls))}

    @property
    def decree_only(self) -> bool:
        """Whether every shape file is one of the decree's (``ontology/shapes``)."""
        folder = settings.SHAPES_DIR.resolve()
        return all(Path(path).resolve().parent == folder for path, _ in self.shapes_key)


def shape_set(shapes: t.Sequence[Path] | None = None,
              context: t.Sequence[Path] | None = None) -> ShapeSet:
    """The shapes and context files, parsed, from the cache unless one of them changed.

    :param shapes: shape files; :func:`graph.settings.shape_files` by default.
    :param context: ontology and code-list files; :func:`graph.settings.ontology_files` by
        default.
    :raises ShapesError: if a file is missing or does not parse.
    """
    return _parsed(file_key(settings.shape_files() if shapes is None else shapes),
                   file_key(settings.ontology_files() if context is None else context))


def file_key(paths: t.Iterable[Path]) -> FileKey:
    """Paths with their modification times: an edited file misses the cache."""
    key = []
    for path in paths:
        try:
            key.append((str(path), Path(path).stat().st_mtime_ns))
        except OSError as error:
            raise ShapesError(Path(path), f"cannot read: {error.strerror}") from error
    return tuple(key)


@functools.lru_cache(maxsize=8)
def _parsed(shapes_key: FileKey, context_key: FileKey) -> ShapeSet:
    """The one cache of parsed shapes; the context is split as
    :func:`graph.validation.shacl.validate` explains."""
    shapes = Graph()
    for path, _ in shapes_key:
        shapes += _parse(Path(path))
    ontology, codelists = Graph(), Graph()
    for path, _ in context_key:
        graph = _parse(Path(path))
        if (None, RDF.type, SKOS.ConceptScheme) in graph:
            codelists += graph
        else:
            ontology += graph
    return ShapeSet(shapes_key, context_key, shapes, ontology, codelists)


def clear_cache() -> None:
    """Forget every parsed set (tests count reads from a cold cache)."""
    _parsed.cache_clear()


def _parse(path: Path) -> Graph:
    READS[str(path)] += 1
    rdf_format = pyoxigraph.RdfFormat.from_extension(path.suffix.lstrip("."))
    if rdf_format is None:
        raise ShapesError(path, f"unknown RDF file extension {path.suffix!r}; use .ttl")
    graph = Graph()
    try:
        for quad in pyoxigraph.parse(path=path, format=rdf_format, rename_blank_nodes=True,
                                     base_iri=path.resolve().as_uri()):
            graph.add((rdflib_term(quad.subject), rdflib_term(quad.predicate),
                       rdflib_term(quad.object)))
    except SyntaxError as error:
        reason = re.sub(r"^Parser error (?:at|between) [^:]*: ", "", str(error.msg))
        raise ShapesError(path, reason, error.lineno, error.offset) from error
    except OSError as error:
        raise ShapesError(path, f"cannot read: {error.strerror}") from error
    return graph


def rdflib_term(term: t.Any) -> Node:
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

