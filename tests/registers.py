"""A City's subsidy registers as its portal exports them, generated for tests.

One register a year, each with its own column titles (schema drift): CSV with
``;`` and Belgian strings for some years, XLSX for others, with number cells
that carry float residue, formula cells, title rows, a totals row, ``#REF!``
and an empty amount; enterprise numbers as 9-digit strings (the leading zero
lost), integers, dotted (``1002.339.503``), ``BE…``, with wrong check digits,
and missing (natural persons, foreign bodies); several spellings of one
beneficiary, bilingual ones among them.

Every row also carries what an accountant reads in it, computed here from the
generated values and never by psikg's parsers: the amount to the cent, the
enterprise number's ten digits, the key the beneficiary's IRI must end with.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
import random
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter

KEY = b"a-test-key-for-registers-0123456789"
BASE = "https://city.example/"
BENEFICIARY = BASE + "beneficiary/{beneficiary_id}"
SCHEMA = "https://schema.org/"


def kbo(first_eight: str) -> str:
    """A valid enterprise number: eight digits and their check digits (97 - n mod 97)."""
    return f"{first_eight}{97 - int(first_eight) % 97:02d}"


def wrong_check_digits(number: str) -> str:
    """The same number with check digits that do not fit (a typing error)."""
    check = (int(number[8:]) % 97) + 1
    return number[:8] + f"{check:02d}"


@dataclass(frozen=True)
class Beneficiary:
    """One beneficiary, its spellings (with the key a spelling normalises to), its number."""

    spellings: tuple[tuple[str, str], ...]
    number: str | None
    person: bool = False


BENEFICIARIES = [
    Beneficiary((("ASBL Ateliers du Midi", "asbl-ateliers-du-midi"),
                 ("asbl  Ateliers du midi", "asbl-ateliers-du-midi"),
                 ("ASBL Ateliers du Midi / VZW Ateliers van het Zuiden",
                  "asbl-ateliers-du-midi-vzw-ateliers-van-het-zuiden")), "0203071973"),
    Beneficiary((("Fondation Sœur Émilie", "fondation-sœur-emilie"),
                 ("FONDATION SOEUR EMILIE", "fondation-soeur-emilie")), "1002339503"),
    Beneficiary((("Régie des Sports / Sportregie", "regie-des-sports-sportregie"),
                 ("Regie des sports", "regie-des-sports")), kbo("04123456")),
    Beneficiary((("Centre culturel Bruegel", "centre-culturel-bruegel"),), kbo("08765432")),
    Beneficiary((("Université de Lille", "universite-de-lille"),
                 ("UNIVERSITÉ DE LILLE", "universite-de-lille")), None),
    Beneficiary((("Stichting Noordzee (NL)", "stichting-noordzee-nl"),), None),
    Beneficiary((("Dupont Marie", ""),), None, person=True),
    Beneficiary((("Janssens  Pieter", ""),), None, person=True),
]


def pseudonym(name: str) -> str:
    """A natural person's pseudonym under :data:`KEY`, as loaders/README.md defines it."""
    folded = " ".join(name.split()).casefold()
    return "person-" + hmac.new(KEY, folded.encode(), hashlib.sha256).hexdigest()[:16]


@dataclass
class Grant:
    """One row, as written (the ``*_cell`` values) and as an accountant reads it."""

    reference: str
    year: int
    beneficiary: str
    person: bool
    number: str | None
    """The ten digits when the cell holds a valid number, else None."""
    number_cell: object
    amount: Decimal | None
    """The amount granted to the cent; None when the cell is broken or empty."""
    amount_cell: object
    paid: Decimal | None
    paid_cell: object
    key: str
    """What the beneficiary's IRI ends with: the number, else the normalised name, else the
    pseudonym."""
    blanked: tuple[str, ...] = ()
    """Columns whose bad cell ``--on-error blank`` leaves empty."""

    @property
    def refused(self) -> bool:
        """Whether even ``blank`` refuses the row (its required amount is broken)."""
        return self.amount is None


@dataclass(frozen=True)
class Year:
    """One year's register: its format and its titles."""

    year: int
    kind: str
    """``csv`` or ``xlsx``."""
    titles: dict[str, str]
    sheet: str | None = None
    sheet_position: int | None = None


TITLES = {
    2021: {"reference": "Référence", "beneficiary": "Bénéficiaire", "form": "Forme",
           "number": "Numéro BCE", "amount": "Montant", "paid": "Liquidé"},
    2022: {"reference": "Réf.", "beneficiary": "Beneficiaire / Begunstigde", "form": "Type",
           "number": "N° d'entreprise", "amount": "Montant octroyé (€)",
           "paid": "Montant liquidé (€)"},
    2023: {"reference": "Référence", "beneficiary": "Nom du bénéficiaire",
           "form": "Forme juridique", "number": "Numéro d'entreprise",
           "amount": "Montant (EUR)", "paid": "Payé (EUR)"},
    2024: {"reference": "Dossier", "beneficiary": "Bénéficiaire", "form": "Forme",
           "number": "BCE/KBO", "amount": "Subside accordé", "paid": "Subside liquidé"},
}
YEARS = [Year(2021, "csv", TITLES[2021]), Year(2022, "csv", TITLES[2022]),
         Year(2023, "xlsx", TITLES[2023], sheet="Subsides 2023"),
         Year(2024, "xlsx", TITLES[2024], sheet="Subsides 2024", sheet_position=2)]


def grants(year: Year, rows: int = 24) -> list[Grant]:
    """The year's rows, the same on every run; rows 3, 5, 7 and 11 carry the broken cells: a
    wrong enterprise number, ``#REF!`` and nothing in the (required) amount, a bad paid
    amount (``#REF!`` or ``n.c.``)."""
    rng = random.Random(f"registers-{year.year}")
    out = []
    for index in range(rows):
        who = BENEFICIARIES[index % len(BENEFICIARIES)]
        name, name_key = who.spellings[rng.randrange(len(who.spellings))]
        cents = rng.randrange(10_000, 150_000_000)
        amount = Decimal(cents) / 100
        paid = (amount * rng.choice([0, 50, 100]) / 100).quantize(Decimal("0.01"))
        grant = Grant(f"S-{year.year}-{index + 1:03d}", year.year, name, who.person, who.number,
                      _number_cell(who.number, index, year), amount,
                      _amount_cell(amount, index, year), paid, _amount_cell(paid, index + 1, year),
                      who.number or name_key or pseudonym(name))
        _break(grant, index, year, name_key)
        out.append(grant)
    return out


def _break(grant: Grant, index: int, year: Year, name_key: str) -> None:
    if index == 3 and grant.number is not None:  # wrong check digits: blank falls back to name
        grant.number_cell = wrong_check_digits(grant.number)
        grant.number, grant.key, grant.blanked = None, name_key, ("number",)
    if index == 5:
        grant.amount, grant.amount_cell = None, ("#REF!",) if year.kind == "xlsx" else "#REF!"
    if index == 7:
        grant.amount, grant.amount_cell = None, ""
    if index == 11:  # an optional amount: blank leaves it empty
        grant.paid, grant.paid_cell = None, ("#REF!",) if year.kind == "xlsx" else "n.c."
        grant.blanked += ("paid",)


def _number_cell(number: str | None, index: int, year: Year) -> object:
    if number is None:
        return ""
    style = (index + year.year) % 4
    if style == 0:
        return f"{number[:4]}.{number[4:7]}.{number[7:]}"
    if style == 1:
        return int(number) if year.kind == "xlsx" else number.lstrip("0")
    if style == 2:
        return "BE" + number
    return number


def _amount_cell(amount: Decimal, index: int, year: Year) -> object:
    """Belgian text in CSV years (and a program's dot now and then); in XLSX years a number
    cell with float residue, a formula cell's cached result, or Belgian text."""
    whole, cents = f"{amount:,.2f}".split(".")
    belgian = whole.replace(",", ".") + "," + cents
    style = index % 5
    if year.kind == "csv":
        if style == 1:
            return f"{amount:.2f}"  # 83450.25: a program wrote it
        if style == 2 and cents == "00":
            return whole.replace(",", "\u202f") + "€"
        if style == 3:
            return "EUR " + belgian
        return belgian
    if style in (0, 1):
        residue = 3e-9 if style == 0 else -4e-10
        return float(amount) + residue
    if style == 2:  # a formula adding two parts: its cached result carries the residue
        part = (amount * 3 / 10).quantize(Decimal("0.01"))
        return ("=", float(part), float(amount - part))
    return belgian


def metadata(year: Year) -> dict[str, Any]:
    """The year's CSVW metadata: its titles, the beneficiary minted by ``psikg:firstOf``."""
    titles = year.titles
    subsidy = BASE + "subsidy/{reference}"
    dialect: dict[str, Any] = {"delimiter": ";", "skipBlankRows": True,
                               "psikg:headerRowPattern": f"^{titles['reference']}\\t",
                               "psikg:skipRowPatterns": ["^Total\\b"]}
    if year.sheet is not None:
        dialect["psikg:sheet"] = year.sheet_position or year.sheet
    amount = {"base": "decimal", "format": "psikg:amount-be"}
    return {
        "@context": "http://www.w3.org/ns/csvw", "url": f"subsidies-{year.year}.{year.kind}",
        "dialect": dialect,
        "tableSchema": {
            "aboutUrl": subsidy, "primaryKey": "reference",
            "psikg:naturalPersonWhen": {"column": "form", "pattern": "^personne physique$"},
            "columns": [
                {"name": "reference", "titles": titles["reference"], "required": True,
                 "propertyUrl": "dcterms:identifier"},
                {"name": "beneficiary", "titles": titles["beneficiary"], "required": True,
                 "aboutUrl": BENEFICIARY, "propertyUrl": SCHEMA + "name",
                 "psikg:personalData": "pseudonymise"},
                {"name": "form", "titles": titles["form"], "suppressOutput": True},
                {"name": "number", "titles": titles["number"],
                 "datatype": {"base": "string", "format": "psikg:kbo"},
                 "aboutUrl": BENEFICIARY, "propertyUrl": SCHEMA + "taxID"},
                {"name": "amount", "titles": titles["amount"], "required": True,
                 "datatype": amount, "propertyUrl": SCHEMA + "amount"},
                {"name": "paid", "titles": titles["paid"], "datatype": amount,
                 "aboutUrl": subsidy + "/payment", "propertyUrl": SCHEMA + "price"},
                {"name": "beneficiary_id", "virtual": True, "suppressOutput": True,
                 "psikg:firstOf": ["number", "beneficiary"], "psikg:normalise": "name"},
                {"name": "grant_type", "virtual": True, "propertyUrl": "rdf:type",
                 "valueUrl": SCHEMA + "MonetaryGrant"},
                {"name": "year", "virtual": True,
                 "propertyUrl": "http://data.openbudgets.eu/ontology/dsd/dimension/fiscalYear",
                 "valueUrl": f"http://reference.data.gov.uk/id/year/{year.year}"},
                {"name": "funded", "virtual": True, "propertyUrl": SCHEMA + "fundedItem",
                 "valueUrl": BENEFICIARY},
            ]}}


def write_register(folder: Path, year: Year, rows: list[Grant]) -> tuple[Path, Path]:
    """The year's table and its metadata file in ``folder``."""
    path = folder / f"subsidies-{year.year}.{year.kind}"
    meta = folder / f"subsidies-{year.year}-metadata.json"
    meta.write_text(json.dumps(metadata(year), ensure_ascii=False, indent=1), encoding="utf-8")
    header = [year.titles[k] for k in ("reference", "beneficiary", "form", "number", "amount",
                                       "paid")]
    cells = [[g.reference, g.beneficiary, "personne physique" if g.person else "personne morale",
              g.number_cell, g.amount_cell, g.paid_cell] for g in rows]
    if year.kind == "csv":
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows([[_text(c) for c in row] for row in cells])
        path.write_text(out.getvalue(), encoding="utf-8")
    else:
        _write_xlsx(path, year, header, cells)
    return path, meta


def _text(cell: object) -> str:
    return "" if cell is None else str(cell)


def _write_xlsx(path: Path, year: Year, header: list[str], rows: list[list[object]]) -> None:
    workbook = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False,
                                               "strings_to_numbers": False})
    if year.sheet_position == 2:
        notes = workbook.add_worksheet("Notes")
        notes.write_string(0, 0, "Exporté du portail de la Ville")
    sheet = workbook.add_worksheet(year.sheet)
    sheet.write_string(0, 0, f"Subsides octroyés en {year.year}")
    sheet.write_string(1, 0, "Situation au 31/12 — document de travail")
    for c, title in enumerate(header):
        sheet.write_string(3, c, title)
    for r, row in enumerate(rows, start=4):
        for c, value in enumerate(row):
            if value == "" or value is None:
                continue
            if isinstance(value, tuple) and value[0] == "#REF!":
                sheet.write_formula(r, c, "=#REF!*1", None, "#REF!")
            elif isinstance(value, tuple):
                first, second = value[1], value[2]
                sheet.write_formula(r, c, f"={first!r}+{second!r}", None, first + second)
            elif isinstance(value, int | float):
                sheet.write_number(r, c, value)
            else:
                sheet.write_string(r, c, str(value))
    total = 4 + len(rows)
    sheet.write_string(total, 0, "Total")
    sheet.write_formula(total, 4, f"=SUM(E5:E{total})", None, 0)
    workbook.close()
