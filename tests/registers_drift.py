"""A City's subsidy registers for 2019-2024, written the way its portal exports them.

One seeded function writes six yearly files with the quirks of real registers: CSV (``;``)
and XLSX in turn, column titles that change every year (French, Dutch, bilingual
``fr / nl``, upper case, a line break in a header cell), a column order that moves, title
rows and a totals row in the workbooks, amounts as Belgian text and as number cells with
float residue, an ``#REF!`` and an empty amount, enterprise numbers in every form (dotted,
leading zero lost, ``BE`` prefix, number cells), missing for natural persons and a foreign
body, and a few with wrong check digits; several spellings of one beneficiary; one year
without a year column (``subsidies-2022.csv``, a CSV with a title above its header and a
total below) and one whose references repeat.

Each :class:`YearFile` says what a reader should find: which field each title names, and
the grants with their true amounts (Decimals, independent of any parser).
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from dataclasses import field
from decimal import Decimal
from pathlib import Path

from tests.workbooks import write_xlsx

SEED = 20240612
BODY = "Ville de Bruxelles"


def valid_kbo(rng: random.Random) -> str:
    """Ten digits with valid check digits (97 - first eight mod 97)."""
    first = rng.choice("01") + "".join(rng.choice("0123456789") for _ in range(7))
    if first[0] == "0" and first[1] == "0":
        first = "02" + first[2:]
    return first + f"{97 - int(first) % 97:02d}"


@dataclass(frozen=True)
class Beneficiary:
    spellings: tuple[str, ...]
    kbo: str | None


@dataclass
class Grant:
    reference: str
    beneficiary: str
    kbo: str | None
    kbo_written: object
    amount: Decimal | None
    amount_written: object
    paid: Decimal
    purpose: str
    nis: str


@dataclass
class YearFile:
    path: Path
    year: int
    mapping: dict[str, str | None]
    """Column title → the model field it names (``None``: not in the model)."""
    grants: list[Grant] = field(default_factory=list)
    has_year: bool = True
    unique_key: bool = True
    has_body: bool = False


def beneficiaries(rng: random.Random) -> list[Beneficiary]:
    organisations = [
        ("ASBL Ateliers du Midi", "Ateliers du Midi ASBL", "asbl ateliers du midi"),
        ("VZW Buurtwerk Noord / ASBL Travail de quartier Nord", "Buurtwerk Noord VZW"),
        ("SRL École des devoirs",), ("Fondation Maison de quartier",),
        ("ASBL Cinéma citoyen", "Cinéma Citoyen"), ("CPAS de Bruxelles",),
        ("SC Entraide Migrants",), ("ASBL Les Amis du Parc",)]
    found = [Beneficiary(names, valid_kbo(rng)) for names in organisations]
    found += [Beneficiary(("Dupont Marie",), None), Beneficiary(("Janssens Pieter",), None),
              Beneficiary(("Stichting Kunst Amsterdam",), None)]
    return found


def _kbo_forms(kbo: str, rng: random.Random, spreadsheet: bool) -> object:
    forms: list[object] = [f"{kbo[:4]}.{kbo[4:7]}.{kbo[7:]}", kbo.lstrip("0"), "BE" + kbo, kbo]
    if spreadsheet:
        forms.append(int(kbo))
    return rng.choice(forms)


def _amount_text(amount: Decimal, rng: random.Random) -> str:
    whole, cents = f"{amount:,.2f}".split(".")
    style = rng.randrange(3)
    if style == 0:
        return whole.replace(",", ".") + "," + cents
    if style == 1:
        return whole.replace(",", " ") + "," + cents + " €"
    return whole.replace(",", "") + "," + cents


LAYOUTS: list[tuple[int, str, list[tuple[str, str | None]]]] = [
    (2019, "csv", [("Référence", "reference"), ("Exercice", "year"),
                   ("Pouvoir subsidiant", "granting_body"), ("Bénéficiaire", "beneficiary"),
                   ("Numéro d'entreprise", "enterprise_number"),
                   ("Montant octroyé (€)", "amount_granted"),
                   ("Montant liquidé (€)", "amount_paid"), ("Objet", "purpose"),
                   ("Code INS", "nis_code")]),
    (2020, "xlsx", [("Referentie", "reference"), ("Begrotingsjaar", "year"),
                    ("Naam begunstigde", "beneficiary"), ("KBO-nummer", "enterprise_number"),
                    ("Toegekend\nbedrag", "amount_granted"), ("Uitbetaald bedrag", "amount_paid"),
                    ("Doel", "purpose"), ("NIS-code", "nis_code"), ("Opmerking", None)]),
    (2021, "csv", [("Référence / Referentie", "reference"),
                   ("Pouvoir subsidiant / Subsidiërende overheid", "granting_body"),
                   ("Nom du bénéficiaire / Naam begunstigde", "beneficiary"),
                   ("N° BCE / KBO-nr.", "enterprise_number"),
                   ("Exercice / Begrotingsjaar", "year"),
                   ("Montant (EUR) / Bedrag (EUR)", "amount_granted"),
                   ("Montant payé / Betaald bedrag", "amount_paid"),
                   ("Objet / Doel", "purpose"), ("Code INS / NIS-code", "nis_code")]),
    (2022, "csv", [("RÉFÉRENCE", "reference"), ("BÉNÉFICIAIRE", "beneficiary"),
                   ("N° D'ENTREPRISE", "enterprise_number"), ("MONTANT", "amount_granted"),
                   ("MONTANT LIQUIDÉ", "amount_paid"), ("OBJET", "purpose"),
                   ("CODE INS", "nis_code")]),
    (2023, "xlsx", [("Réf.", "reference"), ("Année", "year"), ("Bénéficiaire", "beneficiary"),
                    ("N° BCE", "enterprise_number"), ("Montant octroyé", "amount_granted"),
                    ("Montant versé", "amount_paid"), ("Objet du subside", "purpose"),
                    ("Code INS", "nis_code")]),
    (2024, "xlsx", [("Exercice", "year"), ("Référence", "reference"),
                    ("Bénéficiaire", "beneficiary"), ("Numéro d'entreprise", "enterprise_number"),
                    ("Montant octroyé (€)", "amount_granted"),
                    ("Montant liquidé (€)", "amount_paid"), ("Objet", "purpose"),
                    ("Code INS", "nis_code")]),
]
"""Year, format, and the columns of its file: title → field, in file order."""

NIS = ["21001", "21004", "21009", "21015", "52011", "92094", "62063"]
PURPOSES = ["Projet de cohésion sociale", "Stage sportif d'été", "Fonctionnement annuel",
            "Festival de quartier", "Bourse d'artiste — création"]


def write_city_registers(folder: Path, rows_per_year: int = 24) -> list[YearFile]:
    """Write the six yearly files into ``folder``; return what each holds."""
    rng = random.Random(SEED)
    people = beneficiaries(rng)
    files = []
    for year, kind, columns in LAYOUTS:
        sheet = kind == "xlsx"
        path = folder / f"subsidies-{year}.{kind}"
        mapping = dict(columns)
        found = YearFile(path, year, mapping, has_year="year" in mapping.values(),
                         unique_key=year != 2023, has_body="granting_body" in mapping.values())
        for number in range(1, rows_per_year + 1):
            who = rng.choice(people)
            amount = Decimal(rng.randrange(50_000, 25_000_000)) / 100
            kbo_written: object = "" if who.kbo is None else _kbo_forms(who.kbo, rng, sheet)
            kbo = who.kbo
            if who.kbo is not None and number % 11 == 0:  # a wrong check digit
                wrong = who.kbo[:-1] + str((int(who.kbo[-1]) + 1) % 10)
                kbo_written, kbo = f"{wrong[:4]}.{wrong[4:7]}.{wrong[7:]}", None
            written: object = float(amount) + 1e-9 if sheet else _amount_text(amount, rng)
            reference = f"SUB-{year}-{number:03d}" if year != 2023 else f"SUB-{number % 9:02d}"
            found.grants.append(Grant(reference, rng.choice(who.spellings), kbo, kbo_written,
                                      amount, written, (amount * rng.choice([0, 1, 1])),
                                      rng.choice(PURPOSES), rng.choice(NIS)))
        if year == 2024:  # a broken formula and a forgotten amount
            found.grants[3].amount, found.grants[3].amount_written = None, ("#REF!",)
            found.grants[7].amount, found.grants[7].amount_written = None, None
        _write(found, columns, rng)
        files.append(found)
    return files


def _cells(grant: Grant, year: int, sheet: bool) -> dict[str, object]:
    paid: object = float(grant.paid) if sheet else str(grant.paid).replace(".", ",")
    return {"reference": grant.reference, "year": year if sheet else str(year),
            "granting_body": BODY, "beneficiary": grant.beneficiary,
            "enterprise_number": grant.kbo_written, "amount_granted": grant.amount_written,
            "amount_paid": paid, "purpose": grant.purpose,
            "nis_code": int(grant.nis) if sheet else grant.nis}


def _write(found: YearFile, columns: list[tuple[str, str | None]], rng: random.Random) -> None:
    sheet = found.path.suffix == ".xlsx"
    rows = [[_cells(g, found.year, sheet).get(f or "", "vu") if f else rng.choice(["", "vu"])
             for _, f in columns] for g in found.grants]
    header = [title for title, _ in columns]
    if not sheet:
        with found.path.open("w", encoding="utf-8", newline="") as stream:
            writer = csv.writer(stream, delimiter=";", lineterminator="\r\n")
            if not found.has_year:  # an export with a title, and a total below
                writer.writerows([[f"Subsides - {BODY}"], []])
            writer.writerow(header)
            writer.writerows(rows)
            if not found.has_year:
                amounts = sum((g.amount for g in found.grants if g.amount), Decimal(0))
                writer.writerow(["", "TOTAL", "", _amount_text(amounts, rng)])
        return
    total: list[object] = ["Total", *[None] * (len(columns) - 1)]
    write_xlsx(found.path, [[f"Subsides octroyés en {found.year}"], ["Ville de Bruxelles"], [],
                            header, *rows, [], total], sheet=f"Subsides {found.year}")
