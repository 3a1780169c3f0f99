"""The dashboard as a table, for :func:`graph.canned.downloads.download` to write as CSV or
XLSX: the one writer of psikg's downloads (formula cells neutralised, numbers as numbers,
a column of names beside a column of IRIs).

The whole dashboard gives one row per body: its IRI, each article's status and violations,
its MQA score and band, its decree score, its latest validation. One body's page gives one
row per open violation.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyoxigraph as ox

from graph.canned.model import CannedQuery
from graph.canned.model import Sparql
from graph.canned.run import Cell
from graph.canned.run import Result
from graph.canned.shape import Shape
from graph.languages import LANGUAGES
from graph.namespaces import XSD
from graph.words import COMPLIANCE
from graph.words import QUALITY

Text = dict[str, str]


def _words(table: dict[str, Text], key: str) -> Text:
    return {lang: table[key].get(lang) or table[key]["en"] for lang in LANGUAGES}


def _integer(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=ox.NamedNode(XSD + "integer"))


def _decimal(value: float | None) -> ox.Literal | None:
    return None if value is None else ox.Literal(str(value),
                                                 datatype=ox.NamedNode(XSD + "decimal"))


def _text(value: str | None) -> ox.Literal | None:
    return None if value is None else ox.Literal(value)


def as_result(page: dict[str, Any], language: str) -> Result:
    """The page (:mod:`graph.compliance.view`) as a table; titles in every language."""
    if "findings" in page:
        return _findings(page)
    columns: dict[str, Text] = {"body": _words(COMPLIANCE, "body")}
    violations = _words(COMPLIANCE, "violations")
    for number in page["articles"]:
        columns[f"art_{number}"] = {lang: f"Art. {number}" for lang in LANGUAGES}
        columns[f"art_{number}_violations"] = {lang: f"Art. {number} ({violations[lang]})"
                                               for lang in LANGUAGES}
    columns |= {"mqa_score": _words(QUALITY, "score"), "mqa_band": _words(COMPLIANCE, "band"),
                "decree_score": _words(QUALITY, "decree"),
                "validated": _words(COMPLIANCE, "when")}
    rows: list[tuple[Cell, ...]] = []
    for entry in page["bodies"]:
        cells: list[Cell] = [ox.NamedNode(entry["iri"])]
        for number in page["articles"]:
            article = entry["articles"][number]
            cells += [ox.Literal(article["status"]), _integer(article["violations"])]
        quality = entry["quality"]
        cells += [_decimal(quality["score"]), _text(quality["band"]),
                  _decimal(quality["decree"]), _text(entry["validated"])]
        rows.append(tuple(cells))
    kinds = {name: "count" for name in columns if name.endswith("_violations")}
    return _result("compliance", columns, rows, kinds)


def _findings(page: dict[str, Any]) -> Result:
    columns = {key: _words(COMPLIANCE, word) for key, word in (
        ("article", "article"), ("focus", "focus"), ("path", "path"), ("value", "value"),
        ("message", "message"))}
    rows: list[tuple[Cell, ...]] = []
    for finding in page["findings"]:
        focus = finding["focus"]
        rows.append((ox.Literal(finding["article"]),
                     ox.NamedNode(focus) if "://" in focus else ox.Literal(focus),
                     _text(finding["path"]), _text(finding["value"]),
                     ox.Literal(finding["message"])))
    return _result("compliance-violations", columns, rows, {})


def _result(name: str, columns: dict[str, Text], rows: list[tuple[Cell, ...]],
            kinds: dict[str, str]) -> Result:
    title = _words(COMPLIANCE, "dashboard_title")
    query = CannedQuery(name=name, file=Path(f"{name}.rq"), title=title,
                        description=_words(COMPLIANCE, "intro"),
                        query=Sparql("", Shape(0, 0, 0, False, False, 0, 0)),
                        variables=tuple(columns), columns=columns, kinds=kinds)
    return Result(query=query, variables=list(columns), rows=rows, values={})
