"""Memoised work of the row writer: template expansions, parsed cells and serialised literals.

Registries repeat themselves: a year, a granting body, a municipality code or a
constant ``propertyUrl`` comes back on every row, and expanding its template
(``quote``, IRI resolution, N-Triples escaping) cost the converter about half
its time. Each of these is a pure function of a few strings, so the writer
remembers its results, keyed by exactly what the result depends on:

- :class:`TermExpander`: one URI template, in one column's context, to an
  N-Triples IRI term, keyed by the values of the variables it names;
- :class:`Memo`: the column's parsed cells (text → ``(lexical, value, True)``;
  values that do not fit are never remembered, so their errors are reported
  each time) and its literals (lexical form → N-Triples literal).

Memory stays flat: a table holds at most :data:`LIMIT` entries and is
emptied when full, so a column whose values never repeat costs one dictionary
of bounded size, not one entry a row.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Mapping
from typing import Any
from typing import Generic
from typing import TypeVar

from loaders.csvw.templates import Template
from loaders.csvw.templates import encode
from loaders.csvw.terms import iri

LIMIT = 1 << 15
"""Entries a table keeps before it is emptied (a few MB at most)."""
_ROW_VARIABLES = frozenset({"_row", "_sourceRow"})
"""Variables that differ on every row: a template that names one is not memoised."""

K = TypeVar("K")
V = TypeVar("V")


class Memo(Generic[K, V]):
    """A bounded table of results, for callers that look it up inline (``memo.table.get``).

    >>> memo: Memo[str, int] = Memo()
    >>> memo.put("a", 1), memo.table.get("a")
    (1, 1)
    """

    __slots__ = ("table",)

    def __init__(self) -> None:
        self.table: dict[K, V] = {}

    def put(self, key: K, value: V) -> V:
        """Remember ``value`` for ``key`` (emptying the table first if it is full)."""
        table = self.table
        if len(table) >= LIMIT:
            table.clear()
        table[key] = value
        return value


class TermExpander:
    """One template of one column, expanded to an N-Triples IRI term, memoised.

    :param template: the column's ``aboutUrl``, ``propertyUrl`` or ``valueUrl``.
    :param fixed: the column's own variables (``_name``, ``_column``, ``_sourceColumn``),
        which take precedence over the row's.
    :param resolve: the expanded text to an absolute IRI (the table URL as base;
        ``propertyUrl`` and ``valueUrl`` also expand prefixed names first). Not called
        when the template starts with ``scheme://``: such text is already absolute, and
        no prefixed name or context term contains ``://``.

    >>> from urllib.parse import urljoin
    >>> to_iri = lambda text: urljoin("http://example.org/t.csv", text)
    >>> TermExpander(Template("s/{id}"), {}, to_iri).term({"id": "a b"})
    '<http://example.org/s/a%20b>'
    """

    __slots__ = ("template", "fixed", "resolve", "free", "single", "constant", "memo",
                 "absolute", "own", "affixes")

    def __init__(self, template: Template, fixed: Mapping[str, str],
                 resolve: Callable[[str], str]) -> None:
        self.template = template
        self.fixed = dict(fixed)
        self.resolve = resolve
        self.free = tuple(dict.fromkeys(name for name in template.variables
                                        if name not in self.fixed))
        self.single = self.free[0] if len(self.free) == 1 else None
        self.absolute = template.absolute_start
        self.own = any(name in self.fixed for name in template.variables)
        """Whether the template names a column variable (then the row's values are merged)."""
        self.constant = None if self.free else self._make({})
        self.memo: Memo[Any, str] | None = (
            None if _ROW_VARIABLES & set(self.free) else Memo())
        pieces = template.simple if self.single is not None and self.absolute else None
        self.affixes = (pieces[0], pieces[2]) if pieces is not None and "\\" not in iri(
            pieces[0] + pieces[2]) else None
        """``(prefix, suffix)`` of an absolute ``prefix{name}suffix`` template that needs no
        IRI escaping: :meth:`terms` then puts a text value's term together itself."""

    def term(self, variables: Mapping[str, Any]) -> str:
        """The IRI term for a row whose template variables are ``variables``."""
        if self.constant is not None:
            return self.constant
        memo = self.memo
        if memo is None:
            return self._make(variables)
        single = self.single
        key: Any = (variables.get(single) if single is not None
                    else tuple(variables.get(name) for name in self.free))
        try:
            found = memo.table.get(key)
        except TypeError:  # a list value (a column with a separator): not hashable
            return self._make(variables)
        if found is None:
            found = memo.put(key, self._make(variables))
        return found

    def terms(self, keys: list[Any]) -> list[str]:
        """The term of each key (a row's value of :attr:`free`, or their tuple when there are
        several; ``None`` for a null), each distinct key expanded once.

        The common ``https://…/{id}`` template is put together without the expansion
        machinery: the same text (the value percent-encoded, in an absolute IRI that
        needs no resolving and no escaping), at a fraction of the cost.

        >>> expander = TermExpander(Template("https://ex.org/s/{id}"), {}, str)
        >>> expander.terms(["a", "a b", "a", None])
        ['<https://ex.org/s/a>', '<https://ex.org/s/a%20b>', '<https://ex.org/s/a>', '<https://ex.org/s/>']
        """
        names = self.free
        single = len(names) == 1
        expanded: dict[Any, str] = {}
        if self.affixes is not None:
            prefix, suffix = self.affixes
            for key in set(keys):
                expanded[key] = (f"<{prefix}{encode(key)}{suffix}>" if type(key) is str
                                 else self.term({names[0]: key} if key is not None else {}))
        else:
            for key in set(keys):
                values = (key,) if single else key
                expanded[key] = self.term({name: value for name, value
                                           in zip(names, values, strict=True)
                                           if value is not None})
        return list(map(expanded.__getitem__, keys))

    def _make(self, variables: Mapping[str, Any]) -> str:
        text = self.template.expand({**variables, **self.fixed} if self.own else variables)
        return iri(text if self.absolute else self.resolve(text))
