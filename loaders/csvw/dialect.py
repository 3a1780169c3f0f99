"""The CSVW dialect as readers receive it, and psikg's extensions to it.

Every reader gets one plain ``dict``: the dialect description of the metadata
(or of the table group), its defaults filled in by :func:`normalise_dialect`,
so that a reader needs no knowledge of CSVW inheritance. The CSVW keys keep
their names (``delimiter``, ``headerRowCount``, ``skipRows``…). psikg adds
three, always with the ``psikg:`` prefix so that they never collide with a
future CSVW term (other processors warn about them and go on, as CSVW says
for unknown properties):

``psikg:sheet``
    spreadsheets only: the sheet, by name (a string) or position (an integer,
    1 for the first sheet). Default: the first sheet.
``psikg:headerRowPattern``
    a regular expression: after ``skipRows``, rows are title rows until the
    first row whose text (:func:`row_text`) matches it, which is the (first)
    header row. Title rows become comments.
``psikg:skipRowPatterns``
    a list of regular expressions: a data row whose text matches any of them
    (totals, subtotals, section titles) is skipped, and kept as a comment.
    Blank rows are skipped with the CSVW ``skipBlankRows``.

Patterns are Python ``re`` syntax, searched (``re.search``) in the row text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from collections.abc import Mapping
from dataclasses import dataclass

from loaders.csvw.errors import CsvwError

EXTENSION_PREFIX = "psikg:"
"""What psikg's own dialect keys start with."""
SHEET = "psikg:sheet"
HEADER_ROW_PATTERN = "psikg:headerRowPattern"
SKIP_ROW_PATTERNS = "psikg:skipRowPatterns"
EXTENSION_KEYS = frozenset({SHEET, HEADER_ROW_PATTERN, SKIP_ROW_PATTERNS})
"""psikg's dialect keys."""

DEFAULT_DIALECT: dict[str, object] = {
    "encoding": "utf-8",
    "lineTerminators": ["\r\n", "\n"],
    "quoteChar": '"',
    "doubleQuote": True,
    "skipRows": 0,
    "commentPrefix": "#",
    "header": True,
    "headerRowCount": 1,
    "delimiter": ",",
    "skipColumns": 0,
    "skipBlankRows": False,
    "skipInitialSpace": False,
    "trim": True,
}
"""The CSVW defaults (tabular metadata, section 5.9)."""


def normalise_dialect(given: Mapping[str, object] | None, *,
                      tab_separated: bool = False) -> dict[str, object]:
    """The dialect with every CSVW key present: ``given`` over the defaults.

    ``header: false`` means ``headerRowCount: 0`` unless that is given;
    ``skipInitialSpace: true`` means ``trim: "start"`` unless ``trim`` is given.
    A TSV file's default delimiter is a tab.
    """
    given = dict(given or {})
    dialect = dict(DEFAULT_DIALECT)
    if tab_separated:
        dialect["delimiter"] = "\t"
    dialect.update({key: value for key, value in given.items() if not key.startswith("@")})
    if "headerRowCount" not in given:
        dialect["headerRowCount"] = 1 if dialect["header"] else 0
    if "trim" not in given and dialect["skipInitialSpace"]:
        dialect["trim"] = "start"
    return dialect


def row_text(values: Iterable[object]) -> str:
    """A row's text for the psikg patterns: its cells' text, stripped, joined by tabs.

    Trailing empty cells are dropped, leading ones kept, so ``^\\s*Total``
    finds a total whose label is in any column.

    >>> row_text(["Total", "", 12.5, None, ""])
    'Total\\t\\t12.5'
    """
    cells = ["" if value is None else str(value).strip() for value in values]
    while cells and not cells[-1]:
        cells.pop()
    return "\t".join(cells)


@dataclass(frozen=True)
class RowPatterns:
    """The compiled psikg row patterns of a dialect."""

    header: re.Pattern[str] | None
    skip: tuple[re.Pattern[str], ...]

    @classmethod
    def of(cls, dialect: Mapping[str, object], label: str) -> RowPatterns:
        """Compile the dialect's patterns.

        :raises CsvwError: ``dialect-pattern`` if one is not a valid regular expression.
        """
        header = dialect.get(HEADER_ROW_PATTERN)
        skips = dialect.get(SKIP_ROW_PATTERNS) or []
        if isinstance(skips, str):
            skips = [skips]
        return cls(_compile(header, HEADER_ROW_PATTERN, label) if header else None,
                   tuple(_compile(p, SKIP_ROW_PATTERNS, label) for p in skips))  # type: ignore

    def skips(self, text: str) -> bool:
        """Whether a data row with this text is to be skipped."""
        return any(pattern.search(text) for pattern in self.skip)


def _compile(pattern: object, key: str, label: str) -> re.Pattern[str]:
    try:
        return re.compile(str(pattern))
    except re.error as error:
        raise CsvwError(f"{key} {pattern!r} is not a valid regular expression: {error}",
                        type="dialect-pattern", file=label, value=str(pattern),
                        expected="a Python regular expression") from None
