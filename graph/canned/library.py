"""Reading ``queries/*.rq`` into :class:`~graph.canned.model.CannedQuery` values, or failing
with every problem named by file and line.

Everything that can be wrong with a query file is found here, when the library is read (at
``psikg serve`` start-up and by ``psikg queries``), never on a request: a header that is
not YAML or names an unknown key, a parameter of an unknown type or that the query does
not use, a default that does not fit its type, a chart column the query does not give, and
a query that does not parse. pyoxigraph has no parse-only call, so each text is run on an
empty in-memory store, bound with an example of every parameter: it parses, it is a
SELECT, and the columns it projects are known.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from graph.canned.binding import bind
from graph.canned.display import KINDS
from graph.canned.header import HeaderReader
from graph.canned.header import read_header
from graph.canned.model import AGGREGATES
from graph.canned.model import CHART_TYPES
from graph.canned.model import CannedQuery
from graph.canned.model import Chart
from graph.canned.model import Pagination
from graph.canned.model import Sparql
from graph.canned.params import TYPES
from graph.canned.params import Choice
from graph.canned.params import Parameter
from graph.canned.params import ParameterError
from graph.canned.params import Term
from graph.canned.params import Text
from graph.canned.shape import ShapeError
from graph.canned.shape import joined_variables
from graph.canned.shape import shape_of
from graph.canned.shape import variables_in
from graph.errors import InputError
from graph.languages import LANGUAGES as ALL_LANGUAGES
from graph.sparql_text import blank

NAME = re.compile(r"[a-z0-9][a-z0-9-]*")
"""A query's name: its file name without ``.rq``, used in URLs."""
VARIABLE_NAME = re.compile(r"[a-z_][a-z0-9_]*")
HEADER_KEYS = {"title", "description", "tags", "parameters", "pagination", "chart", "plain",
               "columns", "count"}
PARAMETER_KEYS = {"type", "title", "description", "required", "list", "default", "values",
                  "values_query", "min", "max", "pattern", "max_length", "bind", "example",
                  "normalise"}
_EXAMPLES = {"iri": "urn:psikg:example", "string": "example", "integer": "1",
             "decimal": "1.5", "date": "2024-01-01", "year": "2024", "boolean": "true"}


class LibraryError(InputError):
    """One or more query files that cannot be served; ``details["errors"]`` has them all."""


def load_library(folder: Path) -> dict[str, CannedQuery]:
    """Every ``*.rq`` file of ``folder`` as a canned query, by name, in name order.

    :raises LibraryError: if any file has a problem; all of them are listed.
    """
    queries: dict[str, CannedQuery] = {}
    problems: list[InputError] = []
    for path in sorted(Path(folder).glob("*.rq")):
        try:
            query = load_query(path)
        except InputError as error:
            problems.append(error)
            continue
        queries[query.name] = query
    if problems:
        first = problems[0]
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise LibraryError(f"{first.message}{more}", type=first.type, file=first.file,
                           line=first.line, column=first.column,
                           details={"errors": [p.as_dict() for p in problems]})
    return queries


def load_query(path: Path) -> CannedQuery:
    """One query file.

    :raises InputError: naming the file and line, if the file cannot be served.
    """
    name = path.stem
    if not NAME.fullmatch(name):
        raise InputError(f"query file names are lower-case words joined by dashes, not "
                         f"{path.name!r}", type="invalid-query-name", file=str(path))
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputError("a query file is UTF-8", type="encoding", file=str(path)) from None
    header = read_header(text, str(path))
    reader = HeaderReader(path, header)
    data = header.data
    reader.known(data, HEADER_KEYS, ())
    for key in ("title", "description"):
        if key not in data:
            raise reader.fail((), f"the header has no {key}", type="missing-header-key")
    title = reader.text(data["title"], ("title",))
    description = reader.text(data["description"], ("description",))
    parameters = tuple(_parameter(reader, key, value)
                       for key, value in _mapping(reader, data.get("parameters"),
                                                  ("parameters",)).items())
    # The query is what follows the header: the header is the query's description, and
    # sent with every run it was most of the text an engine received and psikg rewrote.
    body = "".join(text.splitlines(keepends=True)[header.last_line:])
    query = _sparql(reader, body, header.last_line + 1, parameters, "query")
    variables = _probe(reader, query, parameters)
    plain = None
    if data.get("plain") is not None:
        plain = _plain(reader, data["plain"], parameters)
        plain_variables = _probe(reader, plain, parameters)
        if plain_variables != variables:
            raise reader.fail(("plain",), f"the plain query gives the columns "
                                          f"{', '.join(plain_variables)}; the query gives "
                                          f"{', '.join(variables)}: they must be the same")
    pagination = _pagination(reader, data.get("pagination"))
    for sparql, label in ((query, "query"), (plain, "plain query")):
        if pagination and sparql is not None and (
                sparql.shape.has_limit or sparql.shape.has_trailing_values):
            raise reader.fail(("pagination",), f"a paged {label} has no LIMIT, OFFSET or "
                                               "trailing VALUES of its own: psikg adds LIMIT "
                                               "and OFFSET")
    chart = _chart(reader, data.get("chart"), variables)
    columns: dict[str, Text] = {}
    kinds: dict[str, str] = {}
    for key, value in _mapping(reader, data.get("columns"), ("columns",)).items():
        column = str(key)
        if column not in variables:
            raise reader.fail(("columns", column), f"column {column!r} is not one the query "
                                                   "gives")
        columns[column], kind = _column(reader, column, value)
        if kind is not None:
            kinds[column] = kind
    tags = data.get("tags") or []
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise reader.fail(("tags",), "tags is a list of words, e.g. [budgets, subsidies]")
    return CannedQuery(name=name, file=path, title=title, description=description,
                       query=query, variables=variables, parameters=parameters,
                       tags=tuple(tags), pagination=pagination, chart=chart, plain=plain,
                       columns=columns, kinds=kinds)


def _column(reader: HeaderReader, column: str, value: Any) -> tuple[Text, str | None]:
    """A ``columns:`` entry: its titles by language, and its kind when it says one."""
    path: tuple[str | int, ...] = ("columns", column)
    if isinstance(value, dict):
        reader.known(value, {*ALL_LANGUAGES, "kind"}, path)
        kind = value.get("kind")
        if kind is not None and kind not in KINDS:
            raise reader.fail((*path, "kind"), f"column {column!r} has kind {kind!r}; "
                                               "expected one of " + ", ".join(KINDS))
        titles = {key: text for key, text in value.items() if key != "kind"}
        return reader.text(titles or None, path, required=False), kind
    return reader.text(value, path, required=False), None


def _mapping(reader: HeaderReader, value: Any, path: tuple[str | int, ...]) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise reader.fail(path, f"{path[-1]} is a mapping")
    return value


def _scalar_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _parameter(reader: HeaderReader, name: Any, spec: Any) -> Parameter:
    path: tuple[str | int, ...] = ("parameters", str(name))
    if not isinstance(name, str) or not VARIABLE_NAME.fullmatch(name):
        raise reader.fail(path, f"parameter name {name!r} is not a SPARQL variable name "
                                "(lower-case letters, digits, _)")
    if not isinstance(spec, dict):
        raise reader.fail(path, f"parameter {name!r} is a mapping with at least type and "
                                "title")
    reader.known(spec, PARAMETER_KEYS, path)
    kind = spec.get("type")
    if kind not in TYPES:
        raise reader.fail((*path, "type"), f"parameter {name!r} has type {kind!r}; expected "
                                           "one of " + ", ".join(TYPES))
    choices = _choices(reader, spec.get("values"), (*path, "values"))
    if kind == "enum" and not choices:
        raise reader.fail(path, f"enum parameter {name!r} lists its values")
    if spec.get("bind", "string") not in {"string", "iri"}:
        raise reader.fail((*path, "bind"), "bind is string or iri")
    values_query = spec.get("values_query")
    if values_query is not None and not isinstance(values_query, str):
        raise reader.fail((*path, "values_query"), "values_query is a SPARQL SELECT text")
    default = spec.get("default")
    defaults = default if isinstance(default, list) else [] if default is None else [default]
    for key in ("required", "list"):
        if not isinstance(spec.get(key, False), bool):
            raise reader.fail((*path, key), f"{key} is true or false")
    bounds = {key: None if spec.get(key) is None else _scalar_text(spec[key])
              for key in ("min", "max")}
    parameter = Parameter(
        name=name, type=kind,
        title=reader.text(spec.get("title"), (*path, "title")),
        description=reader.text(spec.get("description"), (*path, "description"),
                                required=False),
        required=bool(spec.get("required", False)), is_list=bool(spec.get("list", False)),
        default=tuple(_scalar_text(v) for v in defaults), choices=choices,
        values_query=values_query, minimum=bounds["min"], maximum=bounds["max"],
        pattern=None if spec.get("pattern") is None else str(spec["pattern"]),
        max_length=int(spec.get("max_length", Parameter.max_length)),
        bind=str(spec.get("bind", "string")),
        example=None if spec.get("example") is None else _scalar_text(spec["example"]),
        normalise=None if spec.get("normalise") is None else str(spec["normalise"]))
    if parameter.normalise not in (None, "kbo"):
        raise reader.fail((*path, "normalise"), "normalise is kbo (or absent)")
    if parameter.pattern is not None:
        try:
            re.compile(parameter.pattern)
        except re.error as error:
            raise reader.fail((*path, "pattern"), f"pattern is not a regular expression: "
                                                  f"{error}") from None
    for key, values in (("default", parameter.default), ("example", (parameter.example,)),
                        ("min", (parameter.minimum,)), ("max", (parameter.maximum,))):
        for value in values:
            if value is None:
                continue
            try:
                parameter.terms([value]) if key in {"default", "example"} else \
                    parameter.term_of(value)
            except ParameterError as error:
                raise reader.fail((*path, key), f"{key} of {error.message}") from None
    if len(parameter.default) > 1 and not parameter.is_list:
        raise reader.fail((*path, "default"), f"parameter {name!r} takes one value; its "
                                              "default is a list")
    return parameter


def _choices(reader: HeaderReader, values: Any, path: tuple[str | int, ...]) -> tuple[Choice, ...]:
    if values is None:
        return ()
    if not isinstance(values, list) or not values:
        raise reader.fail(path, "values is a list of allowed values")
    choices = []
    for index, item in enumerate(values):
        if isinstance(item, dict):
            if "value" not in item:
                raise reader.fail((*path, index), "a value with a title is written "
                                                  "{value: …, title: {fr: …, nl: …, en: …}}")
            choices.append(Choice(_scalar_text(item["value"]),
                                  reader.text(item.get("title"), (*path, index, "title"),
                                              required=False)))
        else:
            choices.append(Choice(_scalar_text(item)))
    return tuple(choices)


def _sparql(reader: HeaderReader, text: str, line: int, parameters: Iterable[Parameter],
            label: str) -> Sparql:
    """Shape a text and check that every parameter is used where a binding reaches it."""
    try:
        shape = shape_of(text)
    except ShapeError as error:
        before = text[:error.offset]
        raise InputError(f"the {label} cannot be served: {error}", type="invalid-query",
                         file=str(reader.path),
                         line=line + before.count("\n")) from None
    sparql = Sparql(text, shape, line)
    _syntax(reader, sparql, label)
    group = text[shape.values_open:shape.values_close]
    used = variables_in(group)
    outer = joined_variables(group)
    for parameter in parameters:
        where = ("parameters", parameter.name)
        if parameter.name not in used:
            raise reader.fail(where, f"parameter {parameter.name!r} is not used by the "
                                     f"{label}: write ?{parameter.name} in its WHERE clause",
                              type="unused-parameter")
        if parameter.name not in outer:
            raise reader.fail(where, f"parameter {parameter.name!r} appears only inside a "
                                     f"sub-SELECT of the {label}, where its binding does not "
                                     "reach; use it in the outer WHERE group, or project it",
                              type="unused-parameter")
    if re.search(r"(?<![\w?$:])SERVICE(?![\w:])", blank(text), re.IGNORECASE):
        raise InputError(f"the {label} calls SERVICE; canned queries read this store only",
                         type="invalid-query", file=str(reader.path), line=line)
    return sparql


def _syntax(reader: HeaderReader, sparql: Sparql, label: str) -> list[str]:
    try:
        results = ox.Store().query(sparql.text)
    except SyntaxError as error:
        message = error.msg.split(": ", 1)[-1] if error.msg.startswith("error at") else error.msg
        position = re.match(r"error at (\d+):(\d+)", error.msg)
        line = int(position.group(1)) if position else error.lineno or 1
        raise InputError(f"the {label} does not parse: {message[:240]}",
                         type="invalid-query", file=str(reader.path),
                         line=sparql.line + line - 1,
                         column=int(position.group(2)) if position else None) from None
    if not isinstance(results, ox.QuerySolutions):
        raise InputError(f"the {label} is not a SELECT query", type="invalid-query",
                         file=str(reader.path), line=sparql.line)
    return [v.value for v in results.variables]


def _probe(reader: HeaderReader, sparql: Sparql, parameters: Iterable[Parameter]
           ) -> tuple[str, ...]:
    """Bind an example of every parameter and run it on an empty store: its columns."""
    bindings: dict[str, list[Term]] = {}
    for parameter in parameters:
        example = (parameter.example or (parameter.default[0] if parameter.default else None)
                   or (parameter.choices[0].value if parameter.choices else None)
                   or _EXAMPLES[parameter.type])
        bindings[parameter.name] = parameter.terms([example])
    bound = Sparql(bind(sparql.text, sparql.shape, bindings), sparql.shape, sparql.line)
    return tuple(_syntax(reader, bound, "query with its parameters bound"))


def _plain(reader: HeaderReader, value: Any, parameters: Iterable[Parameter]) -> Sparql:
    if not isinstance(value, str):
        raise reader.fail(("plain",), "plain is the SPARQL query it stands for, as a YAML "
                                      "block (plain: |)")
    line = reader.header.lines.of(("plain",)) + 1
    return _sparql(reader, value, line, parameters, "plain query")


def _pagination(reader: HeaderReader, value: Any) -> Pagination | None:
    if value is None or value is False:
        return None
    if value is True:
        return Pagination()
    if not isinstance(value, dict):
        raise reader.fail(("pagination",), "pagination is false, true, or {page_size: …, "
                                           "max_page_size: …, count: …, whole: …}")
    reader.known(value, {"page_size", "max_page_size", "count", "whole"}, ("pagination",))
    size = value.get("page_size", Pagination.page_size)
    most = value.get("max_page_size", max(size, Pagination.max_page_size)
                     if isinstance(size, int) else Pagination.max_page_size)
    if not isinstance(size, int) or not isinstance(most, int) or not 0 < size <= most:
        raise reader.fail(("pagination",), "page_size and max_page_size are whole numbers, "
                                           "0 < page_size <= max_page_size")
    whole = bool(value.get("whole", False))
    if whole and not value.get("count", False):
        raise reader.fail(("pagination",), "whole: true reads the whole answer to count it; "
                                           "it goes with count: true")
    return Pagination(size, most, bool(value.get("count", False)), whole)


def _chart(reader: HeaderReader, value: Any, variables: tuple[str, ...]) -> Chart | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise reader.fail(("chart",), "chart is {type: bar|line|pie|none, x: …, y: […], "
                                      "series: …, aggregate: sum|count}")
    reader.known(value, {"type", "x", "y", "series", "aggregate"}, ("chart",))
    kind = value.get("type", "none")
    if kind not in CHART_TYPES:
        raise reader.fail(("chart", "type"), f"chart type {kind!r}; expected one of "
                                             + ", ".join(CHART_TYPES))
    if kind == "none":
        return Chart("none")
    y = value.get("y")
    ys = tuple(y if isinstance(y, list) else [y] if y else [])
    x = value.get("x")
    series = value.get("series")
    if x is None or not ys:
        raise reader.fail(("chart",), "a chart names its x column and its y column(s)")
    for key, column in [("x", x), ("series", series), *(("y", c) for c in ys)]:
        if column is not None and column not in variables:
            raise reader.fail(("chart", key), f"chart column {column!r} is not one the query "
                                              "gives (" + ", ".join(variables) + ")")
    aggregate = value.get("aggregate")
    if aggregate is not None and aggregate not in AGGREGATES:
        raise reader.fail(("chart", "aggregate"), f"chart aggregate {aggregate!r}; expected "
                                                  "one of " + ", ".join(AGGREGATES))
    return Chart(kind, str(x), tuple(str(c) for c in ys), None if series is None else str(series),
                 aggregate)
