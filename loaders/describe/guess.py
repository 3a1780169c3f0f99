"""What a column holds, guessed from its cells and its title: the CSVW datatype of a draft.

Each candidate datatype is tried with the engine's own parser
(:class:`loaders.csvw.datatypes.Datatype`, the psikg formats included), so a column guessed
as ``psikg:amount-be`` is one ``psikg load`` reads as amounts, cell for cell. The order
goes from the narrowest to the widest: booleans (``oui|non``, ``ja|nee``…), dates, years,
enterprise numbers, NIS codes, CPV codes, integers, amounts and decimals, URLs, text. Most
take every filled cell; dates, amounts and enterprise numbers take a column where a few
cells are wrong (a typing error, ``n.c.``, a check digit), which the summary then names:
``psikg load`` refuses those rows, or leaves the cells empty with ``--on-error blank``.

The title settles what the cells cannot: a column of whole numbers titled *Montant* holds
amounts, one titled *Année* years, one titled *Code INS* NIS codes.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import datetime
from typing import Any

from graph.registers.titles import fold
from loaders.csvw.datatypes import Datatype
from loaders.csvw.datatypes import iri_of
from loaders.table_model import Cell
from loaders.table_model import CellValue

MAX_DISTINCT = 100_000
"""Distinct values kept per column; uniqueness is still checked over every row."""
TRY_DISTINCT = 2_000
"""Distinct values a candidate datatype is tried on before it is chosen."""
OPEN_END = ("", "31/12/9999", "9999-12-31")
BOOLEAN_PAIRS = (("oui", "non"), ("ja", "nee"), ("yes", "no"), ("true", "false"),
                 ("vrai", "faux"), ("wahr", "falsch"))

_HINTS = {
    "money": re.compile(r"\b(montant|bedrag|betrag|amount|subside|subsidie|subvention|feder|"
                        r"efro|erdf|financement|financiering|cout|kost|kosten|prix|prijs|"
                        r"price|valeur|waarde|budget|liquide|paye|verse|uitbetaald|betaald|"
                        r"eur|euro|euros|tarif|tarief|redevance)\b"),
    "year": re.compile(r"\b(annee|jaar|year|exercice|jahr|boekjaar|begrotingsjaar|"
                       r"haushaltsjahr|dienstjaar)\b"),
    "kbo": re.compile(r"\b(bce|kbo|entreprise|onderneming|ondernemingsnummer|tva|btw|vat|"
                      r"unternehmensnummer|zdu|cbe|company number)\b"),
    "nis": re.compile(r"\b(ins|nis|refnis)\b"),
    "cpv": re.compile(r"\bcpv\b"),
    "ratio": re.compile(r"\b(percent|pourcentage|percentage|pct|taux|rate|ratio|procent|"
                        r"prozent|quotite)\b"),
    "email": re.compile(r"(e ?mail|courriel)"),
    "phone": re.compile(r"(\btel\b|telephone|telefoon|telefon|\bgsm\b|phone|portable)"),
    "person": re.compile(r"(prenom|voornaam|vorname|first name|nom de famille|achternaam|"
                         r"familienaam|nachname|last name|surname|contact ?person|"
                         r"personne de contact|contactpersoon|verantwoordelijke)"),
    "key": re.compile(r"^(reference|ref|id|identifiant|identifier|n|nr|no|numero|nummer|"
                      r"kenmerk|code|dossier|numero de dossier|dossiernummer)$"),
}


def hints(title: str) -> set[str]:
    """What a title says a column holds: ``money``, ``ratio``, ``year``, ``kbo``, ``nis``,
    ``cpv``, ``key``, or personal data (``email``, ``phone``, ``person``).

    >>> sorted(hints("Montant octroyé (€)")), sorted(hints("N° BCE")), sorted(hints("Année"))
    (['money'], ['kbo'], ['year'])
    """
    folded = fold(title)
    found = {name for name, pattern in _HINTS.items() if pattern.search(folded)}
    if "€" in title:
        found.add("money")
    if "%" in title:
        found.add("ratio")
    if "ratio" in found:
        found.discard("money")
    return found


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", re.IGNORECASE)


def personal(column: ColumnData) -> str | None:
    """What personal data a column looks like it holds (decree Art. 13): ``email``,
    ``phone`` or ``person`` (a natural person's name), by its title or its cells."""
    told = hints(column.title)
    for kind in ("email", "phone", "person"):
        if kind in told:
            return kind
    texts = column.texts()[:TRY_DISTINCT]
    if texts and sum(1 for t in texts if _EMAIL.match(t)) * 2 > len(texts):
        return "email"
    return None


@dataclass
class ColumnData:
    """What the rows hold in one column: counts, distinct values, and where they are."""

    index: int
    title: str
    rows: int = 0
    empty: int = 0
    error_refs: list[str] = field(default_factory=list)
    errors: int = 0
    values: dict[tuple[str, Any], tuple[CellValue, str]] = field(default_factory=dict)
    counts: Counter[tuple[str, Any]] = field(default_factory=Counter)
    duplicate: tuple[str, str] | None = None
    """A value seen twice and where it was seen the second time."""
    _seen: set[int] = field(default_factory=set)
    _checked: dict[str, tuple[int, list[str]]] = field(default_factory=dict)
    _guess: Guess | None = None

    def add(self, cell: Cell | None) -> None:
        self.rows += 1
        if cell is None or (cell.error is None and empty(cell.value)):
            self.empty += 1
            return
        if cell.error is not None:
            self.errors += 1
            if len(self.error_refs) < 5:
                self.error_refs.append(f"{cell.ref} ({cell.error})")
            return
        value = cell.value.strip() if isinstance(cell.value, str) else cell.value
        key = (type(value).__name__, value)
        if self.duplicate is None:
            marker = hash(key)
            if marker in self._seen:
                self.duplicate = (cell.text, cell.ref)
            self._seen.add(marker)
        if key not in self.values and len(self.values) < MAX_DISTINCT:
            self.values[key] = (value, cell.ref)
        self.counts[key] += 1

    @property
    def filled(self) -> int:
        return self.rows - self.empty

    @property
    def unique(self) -> bool:
        """Whether every row has a value, and no value repeats."""
        return self.rows > 0 and not self.empty and not self.errors and self.duplicate is None

    def texts(self) -> list[str]:
        return [value.strip() if isinstance(value, str) else str(value)
                for value, _ in self.values.values()]


def empty(value: CellValue) -> bool:
    """Whether a cell's value is nothing: ``None``, or text that is only spaces."""
    return value is None or (isinstance(value, str) and not value.strip())


@dataclass
class Guess:
    """A column's datatype and the cells that do not fit it.

    :param datatype: the CSVW datatype, as the metadata writes it.
    :param label: how the summary names it (``amount (psikg:amount-be)``).
    :param invalid: up to five ``ref 'value'`` of cells that do not fit; ``bad`` counts all.
    """

    datatype: str | dict[str, Any]
    label: str
    invalid: list[str] = field(default_factory=list)
    bad: int = 0
    null: tuple[str, ...] = ()


def check(column: ColumnData, datatype: str | dict[str, Any]) -> tuple[int, list[str]]:
    """How many filled cells do not fit ``datatype``, and where the first five are."""
    key = json.dumps(datatype, sort_keys=True)
    if key not in column._checked:
        column._checked[key] = _check(column, datatype)
    return column._checked[key]


def _check(column: ColumnData, datatype: str | dict[str, Any]) -> tuple[int, list[str]]:
    parser = _parser(datatype)
    bad = 0
    where: list[str] = []
    for key, (value, ref) in column.values.items():
        if not _fits(parser, value):
            bad += column.counts[key]
            if len(where) < 5:
                where.append(f"{ref} {_shown(value)}")
    return bad, where


def _parser(datatype: str | dict[str, Any]) -> Datatype:
    if isinstance(datatype, str):
        return Datatype(datatype, iri_of(datatype))
    return Datatype(datatype["base"], iri_of(datatype["base"]), datatype.get("format"))


def _fits(parser: Datatype, value: CellValue) -> bool:
    try:
        parser.parse(value)
    except ValueError:  # Mismatch and FormatMismatch are ValueErrors
        return False
    return True


def _shown(value: CellValue) -> str:
    text = value.isoformat() if isinstance(value, date | datetime) else str(value)
    return repr(text if len(text) <= 40 else text[:37] + "…")


def _share(column: ColumnData, datatype: str | dict[str, Any]) -> float:
    """The share of filled cells (among the first distinct values) that fit ``datatype``."""
    parser = _parser(datatype)
    good = total = 0
    for index, (key, (value, _)) in enumerate(column.values.items()):
        if index >= TRY_DISTINCT:
            break
        total += column.counts[key]
        good += column.counts[key] if _fits(parser, value) else 0
    return good / total if total else 0.0


AMOUNT = {"base": "decimal", "format": "psikg:amount-be"}
DATE = {"base": "date", "format": "psikg:date-be"}
KBO = {"base": "string", "format": "psikg:kbo"}
NIS = {"base": "string", "format": "psikg:nis"}
CPV = {"base": "string", "format": "psikg:cpv"}


def guess(column: ColumnData) -> Guess:
    """The datatype that fits the column's cells and title best."""
    if column._guess is None:
        column._guess = _guess(column)
    return column._guess


def _guess(column: ColumnData) -> Guess:
    if not column.values:
        return Guess("string", "text (no value)")
    told = hints(column.title)
    texts = column.texts()
    raw = [value for value, _ in column.values.values()]
    boolean = _boolean(raw)
    if boolean is not None:
        return _checked(column, boolean, "boolean")
    if _share(column, DATE) >= 0.9 and not all(isinstance(v, int) for v in raw):
        found = _checked(column, DATE, "date (psikg:date-be)")
        if any(t in ("31/12/9999", "9999-12-31") for t in texts):
            found.null = OPEN_END
        return found
    if _share(column, "gYear") == 1 and all(_year(v) for v in raw) and (
            "year" in told or not column.unique):
        return Guess("gYear", "year")
    kbo = _share(column, KBO)
    if kbo >= 0.8 or (kbo >= 0.5 and "kbo" in told):
        return _checked(column, KBO, "enterprise number (psikg:kbo)")
    if "nis" in told and _share(column, NIS) >= 0.9:
        return _checked(column, NIS, "NIS code (psikg:nis)")
    if _share(column, CPV) >= 0.9 and ("cpv" in told or any("-" in t for t in texts)):
        return _checked(column, CPV, "CPV code (psikg:cpv)")
    numbers = _share(column, AMOUNT)
    if "money" in told and numbers >= 0.5:
        return _checked(column, AMOUNT, "amount (psikg:amount-be)")
    if any(_leading_zero(t) for t in texts):  # codes (0100, 0012): not numbers
        return Guess("string", "text")
    if _share(column, "integer") == 1:
        return Guess("integer", "integer")
    if numbers >= 0.9 and "ratio" not in told and any(_money_like(v) for v in raw) and not all(
            _fraction(v) for v in raw):
        return _checked(column, AMOUNT, "amount (psikg:amount-be)")
    for datatype in ("decimal", {"base": "decimal", "format": {"decimalChar": ","}}):
        if _share(column, datatype) == 1:
            return Guess(datatype, "decimal")
    if all(re.match(r"https?://\S+$", t) for t in texts):
        return Guess("anyURI", "URL")
    return Guess("string", "text")


def _checked(column: ColumnData, datatype: str | dict[str, Any], label: str) -> Guess:
    bad, where = check(column, datatype)
    return Guess(datatype, label, where, bad)


def _boolean(values: Iterable[CellValue]) -> dict[str, Any] | str | None:
    found = list(values)
    if all(isinstance(v, bool) for v in found):
        return "boolean"
    if not all(isinstance(v, str) for v in found) or len(found) > 2:
        return None
    texts = {str(v) for v in found}
    for yes, no in BOOLEAN_PAIRS:
        if {t.casefold() for t in texts} <= {yes, no}:
            spelled = {t.casefold(): t for t in texts}
            if len({spelled.get(yes, yes)[0].isupper(), spelled.get(no, no)[0].isupper()}) > 1:
                return None  # "Oui" and "non": no CSVW boolean format reads both
            return {"base": "boolean", "format": f"{spelled.get(yes, yes)}|{spelled.get(no, no)}"}
    return None


def _year(value: CellValue) -> bool:
    text = str(value).strip()
    return text.isdigit() and 1900 <= int(text) <= 2100


def _leading_zero(text: str) -> bool:
    """Digits written with a leading zero, as codes are (``0100``; ``0,5`` is a number)."""
    return len(text) > 1 and text.startswith("0") and text.isdigit()


def _fraction(value: CellValue) -> bool:
    """A number between -1 and 1: a ratio (0.4), not an amount."""
    return isinstance(value, int | float) and not isinstance(value, bool) and -1 <= value <= 1


def _money_like(value: CellValue) -> bool:
    """A value written the way amounts are: cents, thousands groups, a currency."""
    if isinstance(value, float):
        return not value.is_integer()
    return isinstance(value, str) and bool(re.search(r",\d{1,2}$|\d[. \u00a0]\d{3}\b|€|EUR",
                                                    value))
