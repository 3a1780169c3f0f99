"""A validation report for a person: each result's message in the reader's language, the
article of the decree it enforces, and the results grouped by article or by shape.

The decree's shapes carry their messages in French and English and name their article
(``dct:source``); SEMIC's carry neither, and pyshacl writes an English message of its own.
So a result's message is the shape's own in the reader's language when it has one, else
what its kind of constraint means in that language (:data:`graph.words.SHACL_COMPONENTS`)
followed by the message it has. The validation service's pages and JSON, and any other
page that shows results by article, read them here.
"""

from __future__ import annotations

import typing as t
from dataclasses import dataclass
from dataclasses import field

from graph.namespaces import DECREE_ELI
from graph.validation.report import ValidationReport
from graph.validation.report import ValidationResult
from graph.words import SHACL_COMPONENTS
from graph.words import VALIDATION
from graph.words import word

_COMPONENT_WORDS = {
    "QualifiedMinCount": "MinCount", "QualifiedMaxCount": "MaxCount",
    "MinLength": "Length", "MaxLength": "Length",
    "MinInclusive": "Range", "MaxInclusive": "Range", "MinExclusive": "Range",
    "MaxExclusive": "Range", "LanguageIn": "Language", "UniqueLang": "Language",
    "Node": "Shape", "Property": "Shape", "Or": "Shape", "And": "Shape", "Not": "Shape",
    "Xone": "Shape", "QualifiedValueShape": "Shape", "Equals": "Pair", "Disjoint": "Pair",
    "LessThan": "Pair", "LessThanOrEquals": "Pair",
}
"""SHACL constraint components (without ``ConstraintComponent``) → their entry in
:data:`SHACL_COMPONENTS`, for those whose name is not the entry's."""
_ARTICLE_PREFIX = f"{DECREE_ELI}#art_"


@dataclass
class Group:
    """The results of one article of the decree, or of one shape outside the decree."""

    key: str
    """The article's IRI, or the IRI of the node shape the results come from."""
    title: str
    article: str | None
    results: list[ValidationResult] = field(default_factory=list)

    def count(self, severity: str) -> int:
        return sum(1 for r in self.results if r.severity == severity)


def message(result: ValidationResult, lang: str) -> str:
    """The result's message in ``lang``: the shape's own, else what its kind of constraint
    means in ``lang`` with the message it has (pyshacl's untagged messages are English)."""
    own = result.message.get(lang) or (result.message.get("") if lang == "en" else None)
    if own:
        return own
    component = result.constraint.rsplit("#", 1)[-1].removesuffix("ConstraintComponent")
    name = _COMPONENT_WORDS.get(component, component)
    meaning = word(SHACL_COMPONENTS, name if name in SHACL_COMPONENTS else "SPARQL", lang)
    other = result.text(lang)
    return f"{meaning}: {other}" if other else meaning


def article_number(article: str | None) -> str | None:
    """``11`` for the IRI of the decree's article 11, ``None`` for anything else.

    >>> article_number(f"{DECREE_ELI}#art_13"), article_number("http://x.example/a")
    ('13', None)
    """
    if article is None or not article.startswith(_ARTICLE_PREFIX):
        return None
    return article[len(_ARTICLE_PREFIX):]


def article_title(article: str, lang: str) -> str:
    """``Article 11 of the decree`` in ``lang``; the IRI itself if it is no article."""
    number = article_number(article)
    return article if number is None else word(VALIDATION, "article", lang).format(n=number)


def node_shape(shape: str) -> str:
    """The node shape a property shape belongs to, when its IRI says so (SEMIC names
    ``…#dcat:DatasetShape/<hash>`` the property shapes of ``…#dcat:DatasetShape``)."""
    base, hash_sign, fragment = shape.partition("#")
    return f"{base}#{fragment.split('/', 1)[0]}" if hash_sign and "/" in fragment else shape


def groups(report: ValidationReport, lang: str) -> list[Group]:
    """The results by decree article (in article order), then by node shape."""
    found: dict[str, Group] = {}
    for result in report.results:
        if article_number(result.article) is not None:
            key = t.cast(str, result.article)
            title = article_title(key, lang)
        else:
            key = node_shape(result.source_shape)
            release, _, fragment = key.rpartition("/")[2].partition("#")
            title = f"{release} · {fragment}" if fragment else key
        group = found.setdefault(key, Group(key, title, result.article))
        group.results.append(result)
    return sorted(found.values(), key=_group_order)


def _group_order(group: Group) -> tuple[int, int, str]:
    number = article_number(group.article)
    digits = "".join(c for c in number or "" if c.isdigit())
    return (0 if number else 1, int(digits) if digits else 0, group.title)


def result_json(result: ValidationResult, lang: str) -> dict[str, t.Any]:
    """One result as the validation service's JSON gives it (SHACL's names)."""
    return {"severity": result.severity, "focusNode": result.focus_node, "path": result.path,
            "value": result.value, "message": message(result, lang),
            "source": result.source_shape, "article": result.article,
            "constraint": result.constraint}


def report_json(report: ValidationReport, lang: str) -> dict[str, t.Any]:
    """The report as the validation service's JSON gives it: ``conforms``, the counts and
    every result with its message in ``lang``."""
    return {"conforms": report.conforms, "violations": len(report.violations),
            "warnings": len(report.warnings),
            "results": [result_json(result, lang) for result in report.results]}
