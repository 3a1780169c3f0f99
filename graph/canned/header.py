"""The ``#+`` header of a canned query: YAML in SPARQL comment lines, read with line numbers.

The header is the run of lines that start with ``#+`` at the top of the file; ``#+`` and one
space are taken off each and the rest is YAML (read with PyYAML's safe loader, so a header
can build nothing but plain data). Because every line is a SPARQL comment, the file stays a
valid SPARQL query that ``psikg query @file.rq`` runs as it is.

Errors name the file and the line in the file: a YAML error at its mark, a bad value at the
line of its key (:class:`Lines`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from graph.canned.model import LANGUAGES
from graph.canned.params import Text
from graph.errors import InputError

MARK = "#+"


class HeaderError(InputError):
    """A header that does not parse or does not say what a canned query needs."""


@dataclass(frozen=True)
class Header:
    """A header's data and where its keys are.

    :param data: the YAML document (a mapping).
    :param lines: file line of each key path.
    :param first_line: file line of the first header line (1-based).
    :param last_line: file line of the last header line.
    """

    data: dict[str, Any]
    lines: Lines
    first_line: int
    last_line: int


class Lines:
    """File line of every key path in a YAML document, for error messages.

    ``lines.of(("parameters", "year", "type"))`` is the line of that key, or of its
    nearest ancestor that has one.
    """

    def __init__(self, node: yaml.Node | None, offset: int) -> None:
        self._lines: dict[tuple[str | int, ...], int] = {}
        self._offset = offset
        if node is not None:
            self._walk(node, ())

    def _walk(self, node: yaml.Node, path: tuple[str | int, ...]) -> None:
        self._lines.setdefault(path, node.start_mark.line + self._offset)
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                child = (*path, str(key.value))
                self._lines[child] = key.start_mark.line + self._offset
                self._walk(value, child)
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                self._walk(item, (*path, index))

    def of(self, path: tuple[str | int, ...]) -> int:
        """The file line of ``path``, or of its nearest ancestor that has one."""
        while path and path not in self._lines:
            path = path[:-1]
        return self._lines.get(path, self._offset + 1)


YAML_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader where PyYAML has it, else the pure-Python one: the same documents,
about ten times faster on the headers every app start reads."""


def read_yaml(source: str) -> tuple[yaml.Node | None, Any]:
    """``source`` parsed once: its node tree (with the lines messages name) and its data.

    :raises yaml.YAMLError: if it is not YAML.
    """
    loader = YAML_LOADER(source)
    try:
        node = loader.get_single_node()
        return node, loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()


def yaml_error_position(error: yaml.MarkedYAMLError, source: str,
                        ) -> tuple[int | None, int | None]:
    """The 1-based line and column of a YAML error in ``source``.

    libyaml marks an unclosed bracket at the end of the input, a line past the last one
    (the pure-Python parser marks the last line): both name a line the reader can see.
    """
    mark = error.problem_mark or error.context_mark
    if mark is None:
        return None, None
    last = max(len(source.splitlines()), 1)
    if mark.line + 1 > last:
        return last, None
    return mark.line + 1, mark.column + 1


def split(text: str) -> tuple[list[str], int]:
    """The header's YAML lines (``#+`` taken off) and the number of lines they span.

    >>> split("#+ title: x\\n#+   fr: y\\nSELECT * {}\\n")
    (['title: x', '  fr: y'], 2)
    """
    lines = text.splitlines()
    header = []
    for line in lines:
        if not line.startswith(MARK):
            break
        rest = line[len(MARK):]
        header.append(rest[1:] if rest.startswith(" ") else rest)
    return header, len(header)


def read_header(text: str, file: str) -> Header:
    """The header of the query file ``file`` whose content is ``text``.

    :raises HeaderError: if there is none, if it is not YAML, if it is not a mapping, or
        if ``#+`` lines appear below it.
    """
    yaml_lines, count = split(text)
    if not count:
        raise HeaderError("a canned query starts with a `#+` YAML header (title, "
                          "description, parameters)", type="missing-header", file=file,
                          line=1)
    for number, rest in enumerate(text.splitlines()[count:], start=count + 1):
        if rest.lstrip().startswith(MARK):
            raise HeaderError("`#+` header lines must all be at the top of the file",
                              type="invalid-header", file=file, line=number)
    source = "\n".join(yaml_lines)
    if "\t" in source:
        at = next(i for i, text in enumerate(yaml_lines, start=1) if "\t" in text)
        raise HeaderError("a tab in the header; YAML indents with spaces",
                          type="invalid-header", file=file, line=at)
    try:
        node, data = read_yaml(source)
    except yaml.MarkedYAMLError as error:
        line, column = yaml_error_position(error, source)
        raise HeaderError(f"the header is not valid YAML: {error.problem or error}",
                          type="invalid-header", file=file, line=line or 1,
                          column=column + len(MARK) + 1 if column is not None else None,
                          ) from None
    except yaml.YAMLError as error:
        raise HeaderError(f"the header is not valid YAML: {error}", type="invalid-header",
                          file=file, line=1) from None
    if not isinstance(data, dict):
        raise HeaderError("the header must be a YAML mapping (key: value lines)",
                          type="invalid-header", file=file, line=1)
    return Header(data, Lines(node, 1), 1, count)


class HeaderReader:
    """Reads the values of one file's header, failing at the line of the key at fault."""

    def __init__(self, path: Path, header: Header) -> None:
        self.path = path
        self.header = header

    def fail(self, path: tuple[str | int, ...], message: str, type: str = "invalid-header",
             ) -> HeaderError:
        return HeaderError(message, type=type, file=str(self.path),
                           line=self.header.lines.of(path))

    def text(self, value: Any, path: tuple[str | int, ...], required: bool = True) -> Text:
        """A text in several languages: fr, nl and en, unless not ``required`` (then a
        plain string stands for all of them)."""
        if value is None and not required:
            return {}
        if isinstance(value, str) and not required:
            return {"fr": value, "nl": value, "en": value}
        if not isinstance(value, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
            raise self.fail(path, f"{path[-1]} is a mapping of languages to text, e.g. "
                                  "{fr: …, nl: …, en: …}")
        missing = [lang for lang in LANGUAGES if not value.get(lang)]
        if required and missing:
            raise self.fail(path, f"{path[-1]} has no {', '.join(missing)} text; write it "
                                  "in French, Dutch and English")
        return {str(k): str(v).strip() for k, v in value.items()}

    def known(self, data: dict[str, Any], keys: set[str], path: tuple[str | int, ...]) -> None:
        """Fail at the first key of ``data`` that is not one of ``keys``."""
        for key in data:
            if key not in keys:
                raise self.fail((*path, key), f"unknown key {key!r}; expected one of "
                                              + ", ".join(sorted(keys)))
