"""Invented rows of the sample registries, from a seeded generator.

Names, amounts, dates and enterprise numbers are invented (the numbers have
valid check digits); the municipalities' NIS codes and the CPV codes are real.
Some cells are written the many ways real registries write them (enterprise
numbers dotted, without their leading zero or with ``BE``; amounts with a
euro sign), and a few purposes start with ``-`` or ``+``: text, never formulas.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from decimal import Decimal

from loaders.nis import MUNICIPALITIES

Row = dict[str, object]


def enterprise_number(rng: random.Random) -> str:
    """An invented enterprise number with valid check digits: ten digits, first one 0."""
    base = rng.randrange(2_000_000, 9_999_999)
    body = f"0{base:07d}"
    return body + f"{97 - int(body) % 97:02d}"


def dotted(number: str) -> str:
    return f"{number[:4]}.{number[4:7]}.{number[7:]}"


def day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


def money(rng: random.Random, low: int, high: int, step: int = 50) -> Decimal:
    return Decimal(rng.randrange(low // step, high // step) * step) + Decimal(
        rng.choice([0, 0, 0, 50, 25])) / 100


PUBLIC_BODIES = [
    ("Région de Bruxelles-Capitale", "21004"),
    ("Ville de Bruxelles", "21004"),
    ("Commune d'Ixelles", "21009"),
    ("Commune de Schaerbeek", "21015"),
    ("Commune d'Anderlecht", "21001"),
    ("Commune de Saint-Gilles", "21013"),
    ("Ville de Namur", "92094"),
    ("Ville de Liège", "62063"),
    ("Ville de Charleroi", "52011"),
    ("Ville de Mons", "53053"),
]
ORG_FORMS = ["ASBL", "ASBL", "ASBL", "SRL", "SC", "Fondation", "AISBL"]
ORG_THEMES = [
    "Quartiers vivants", "Jeunesse et Sport", "Les Amis du Parc", "Culture en Ville",
    "Maison de quartier", "Ateliers du Midi", "Solidarité Seniors", "Théâtre de Poche",
    "École des devoirs", "Potager collectif", "Vélo pour tous", "Musique au Square",
    "Cinéma citoyen", "Repair Café", "Bibliothèque des Enfants", "Entraide Migrants",
    "Cercle d'histoire locale", "Club de basket", "Festival des Lumières", "Danse urbaine",
]
GIVEN = ["Marie", "Jean", "Sophie", "Luc", "Fatima", "Mohamed", "Anne", "Pieter", "Lotte",
         "Thomas", "Nathalie", "Youssef", "Els", "Olivier", "Camille", "Hanne", "Karim"]
FAMILY = ["Dupont", "Peeters", "Janssens", "Maes", "Lambert", "Dubois", "El Amrani",
          "Willems", "Claes", "Martin", "Goossens", "Mertens", "Leroy", "Vermeulen"]
PURPOSES = [
    "Organisation d'un festival de quartier", "Fonctionnement annuel", "Stage sportif d'été",
    "Rénovation de la salle polyvalente", "Achat de matériel pédagogique",
    "Prime à l'embellissement de façade", "Projet de cohésion sociale",
    "Bourse d'artiste — création", "Animation des aînés", "Prime à la rénovation énergétique",
    "Soutien à l'emploi local", "Publication d'un ouvrage d'histoire locale",
]


def subsidies(rng: random.Random) -> list[Row]:
    """Subsidies: mostly organisations, about one in seven a natural person."""
    bodies = [(name, enterprise_number(rng), nis) for name, nis in PUBLIC_BODIES]
    organisations = [(f"{rng.choice(ORG_FORMS)} {theme}", enterprise_number(rng))
                     for theme in ORG_THEMES for _ in range(2)]
    rows: list[Row] = []
    for index in range(400):
        body, body_number, nis = rng.choice(bodies)
        year = rng.choice([2023, 2024, 2025])
        row: Row = {
            "reference": f"SUB-{year}-{index + 1:04d}", "year": year, "granting_body": body,
            "granting_body_number": dotted(body_number),
            "purpose": rng.choice(PURPOSES),
            "budget_article": f"{rng.choice([761, 762, 763, 835, 849])}/"
                              f"{rng.choice([332, 321, 435])}-02",
            "decision_date": day(rng, dt.date(year, 1, 15), dt.date(year, 12, 15)),
            "nis_code": nis if rng.random() < 0.8 else rng.choice(sorted(MUNICIPALITIES)),
        }
        if rng.random() < 0.14:
            row["beneficiary"] = f"{rng.choice(FAMILY)} {rng.choice(GIVEN)}"
            row["purpose"] = rng.choice(["Prime à l'embellissement de façade",
                                         "Bourse d'artiste — création",
                                         "Prime à la rénovation énergétique"])
            granted = money(rng, 500, 5000)
        else:
            name, number = rng.choice(organisations)
            row["beneficiary"] = name
            style = rng.random()
            row["enterprise_number"] = (dotted(number) if style < 0.6 else number.lstrip("0")
                                        if style < 0.8 else "BE" + number)
            row["enterprise_number@xlsx"] = (int(number) if style >= 0.6 and style < 0.8
                                             else row["enterprise_number"])
            granted = money(rng, 1000, 250_000)
        row["amount_granted"] = granted
        row["amount_paid"] = (granted if rng.random() < 0.6 else
                              (granted * Decimal(rng.choice([0, 50, 80])) / 100).quantize(
                                  Decimal("0.01")))
        if index % 10 == 3:
            text = f"{granted:,.2f}".replace(",", "\u00a0").replace(".", ",")
            row["amount_granted@csv"] = text + "\u00a0€" if index % 20 == 3 else "EUR " + text
        if index % 97 == 13:
            row["purpose"] = "- avance sur subside (solde après justification)"
        if index % 89 == 7:
            row["purpose"] = "+ complément au subside de fonctionnement"
        rows.append(row)
    return rows


CPV = [
    ("45233140-2", "Réfection de voirie", 40_000, 900_000),
    ("45210000-2", "Construction d'une crèche", 300_000, 3_000_000),
    ("45000000-7", "Travaux de rénovation", 50_000, 1_500_000),
    ("72000000-5", "Développement d'une application", 20_000, 400_000),
    ("79411000-8", "Mission de conseil en gestion", 10_000, 150_000),
    ("90910000-9", "Nettoyage des bâtiments communaux", 30_000, 600_000),
    ("30213100-6", "Fourniture d'ordinateurs portables", 5_000, 200_000),
    ("34144900-7", "Fourniture de véhicules électriques", 40_000, 500_000),
    ("77310000-6", "Entretien des espaces verts", 15_000, 250_000),
    ("55523100-3", "Repas scolaires", 80_000, 900_000),
    ("09310000-5", "Fourniture d'électricité", 100_000, 2_000_000),
    ("71000000-8", "Mission d'auteur de projet", 20_000, 600_000),
]
PROCEDURES = [
    ("Procédure ouverte", "open"),
    ("Procédure restreinte", "restricted"),
    ("Procédure concurrentielle avec négociation", "neg-w-call"),
    ("Procédure négociée sans publication préalable", "neg-wo-call"),
]
COMPANIES = ["Travaux Lambert", "Bati-Namur", "Infra Wallonie", "Green Brussels", "Clean Office",
             "DigiCité", "Koekelberg Elektro", "Mobilis", "Verde Jardins", "Resto Scolaire",
             "Archi & Co", "Conseil Public", "Energie Plus", "Vanhove Bouw", "Brabant Wegen"]


def contracts(rng: random.Random) -> list[Row]:
    bodies = [(name, enterprise_number(rng)) for name, _ in PUBLIC_BODIES]
    companies = [(f"{name} {rng.choice(['SA', 'SRL', 'NV', 'BV'])}", enterprise_number(rng))
                 for name in COMPANIES]
    rows: list[Row] = []
    for index in range(300):
        cpv, subject, low, high = rng.choice(CPV)
        procedure, code = rng.choice(PROCEDURES)
        body, body_number = rng.choice(bodies)
        company, number = rng.choice(companies)
        award = day(rng, dt.date(2023, 1, 1), dt.date(2026, 9, 30))
        rows.append({
            "reference": f"MP-{award.year}-{index + 1:04d}", "title": subject,
            "procedure": procedure, "procedure_code": code, "cpv": cpv,
            "contracting_body": body, "contracting_body_number": dotted(body_number),
            "contractor": company, "enterprise_number": dotted(number),
            "amount": money(rng, low, high, 100), "award_date": award,
        })
    return rows


HAUTE_LESSE = "0208361443"
"""The commune of examples/platform.ttl."""
TOPICS = [
    ("voirie", "Voiries communales", "Gemeentewegen",
     "Tronçons de voirie communale et leur revêtement."),
    ("budget", "Budget communal", "Gemeentebegroting",
     "Budget initial et modifications budgétaires, par article."),
    ("subsides", "Subsides octroyés", "Toegekende subsidies",
     "Subsides octroyés aux associations et aux particuliers."),
    ("marches", "Marchés publics attribués", "Gegunde opdrachten",
     "Marchés publics attribués par la commune."),
    ("collectes", "Calendrier des collectes", "Ophaalkalender",
     "Dates de collecte des déchets par rue."),
    ("arbres", "Arbres remarquables", "Opmerkelijke bomen",
     "Arbres remarquables du territoire communal."),
    ("eclairage", "Éclairage public", "Openbare verlichting",
     "Points lumineux de l'éclairage public."),
    ("parkings", "Places de stationnement", "Parkeerplaatsen",
     "Places de stationnement et leur occupation."),
    ("bornes", "Bornes de recharge", "Laadpalen",
     "Bornes de recharge pour véhicules électriques."),
    ("population", "Population par quartier", "Bevolking per wijk",
     "Population au 1er janvier, par quartier et âge."),
    ("ecoles", "Écoles communales", "Gemeentescholen",
     "Implantations scolaires et nombre d'élèves."),
    ("conseil", "Décisions du conseil communal", "Beslissingen van de gemeenteraad",
     "Ordres du jour et décisions du conseil."),
    ("permis", "Permis d'urbanisme", "Stedenbouwkundige vergunningen",
     "Permis d'urbanisme délivrés."),
    ("qualite-air", "Qualité de l'air", "Luchtkwaliteit",
     "Mesures des capteurs de qualité de l'air, toutes les dix minutes."),
    ("associations", "Répertoire des associations", "Verenigingsrepertorium",
     "Associations actives sur la commune."),
]
FORMATS = ["CSV", "CSV", "CSV", "JSON", "GEOJSON", "ODS"]
"""Open, machine-readable formats (Art. 10): XLSX is not open, so no sound row uses it."""


def inventory(rng: random.Random) -> list[Row]:
    """Datasets of a commune; rows 7, 23, 41, 42, 58, 77, 99 and 103 break a shape on purpose."""
    rows: list[Row] = []
    for index in range(200):
        slug, title, title_nl, description = TOPICS[index % len(TOPICS)]
        year = 2015 + index // len(TOPICS)
        created = day(rng, dt.date(2012, 1, 1), dt.date(2024, 12, 31))
        identifier = f"{slug}-{year}"
        fmt = rng.choice(FORMATS)
        row: Row = {
            "identifier": identifier, "title": f"{title} {year}",
            "title_nl": f"{title_nl} {year}", "description": description,
            "created": created, "modified": day(rng, created, dt.date(2026, 10, 31)),
            "licence": rng.choice(["CC0", "CC_BY_4_0", "CC_BY_4_0", "CC_BYSA_4_0"]),
            "owner": dotted(HAUTE_LESSE), "manager": dotted(HAUTE_LESSE),
            "format": fmt,
            "download_url": f"https://opendata.haute-lesse.example/{identifier}.{fmt.lower()}",
            "personal_data": False, "dynamic": False,
        }
        if slug in ("subsides", "population"):
            row.update(personal_data=True, anonymisation="pseudonymisation", anonymised=True)
        rows.append(row)
    rows[7]["modified"] = None
    rows[23]["licence"] = None
    rows[41]["format"] = "PDF"
    rows[42]["format"] = "XLSX"
    rows[58].update(personal_data=True, anonymisation=None, anonymised=False)
    rows[77]["description"] = None
    rows[99]["hvd_category"] = "c_e1da4e07"
    rows[103]["dynamic"] = True
    return rows


GRANTEES = ["Transports adaptés Condroz-Famenne ASBL", "Numériscan Patrimoine SRL",
            "Parcellia SRL", "Aérocarto SA", "Cartoweb SA", "Histoires d'Archives SRL"]


def arrangements(rng: random.Random) -> list[Row]:
    bodies = [enterprise_number(rng) for _ in range(12)]
    grantees = [enterprise_number(rng) for _ in GRANTEES]
    rows: list[Row] = []
    kinds = ["Exclusivity", "CulturalDigitisationExclusivity", "RestrictiveArrangement",
             "LegacyExclusiveContract"]
    for index in range(200):
        kind = kinds[index % 4]
        body = rng.choice(bodies)
        row: Row = {
            "identifier": f"accord-{index + 1:03d}", "kind": kind,
            "title": rng.choice(["Droit exclusif de réutilisation des horaires",
                                 "Numérisation des registres d'état civil anciens",
                                 "Convention de flux quotidien des parcelles",
                                 "Contrat d'exploitation des orthophotos historiques"]),
            "grantor": dotted(body), "grantee": dotted(rng.choice(grantees)),
            "dataset": f"jeu-{index + 1:03d}",
            "page": f"https://www.organisme-{bodies.index(body) + 1}.example/"
                    f"exclusivites/{index + 1}",
            "last_review": day(rng, dt.date(2025, 1, 1), dt.date(2026, 10, 31)),
        }
        if kind == "LegacyExclusiveContract":
            row["start"] = day(rng, dt.date(2005, 1, 1), dt.date(2013, 7, 1))
            row["end"] = day(rng, dt.date(2030, 1, 1), dt.date(2043, 7, 1))
        else:
            row["start"] = day(rng, dt.date(2020, 1, 1), dt.date(2026, 6, 30))
            row["justification"] = ("Un opérateur unique garantit un service d'intérêt général "
                                    "continu ; l'exclusivité en est la condition.")
        if kind == "Exclusivity":
            row["end"] = dt.date(9999, 12, 31) if index % 3 else row["start"].replace(  # type: ignore[union-attr]
                year=row["start"].year + 8)  # type: ignore[union-attr]
        if kind == "CulturalDigitisationExclusivity":
            row["end"] = row["start"].replace(year=row["start"].year + 7)  # type: ignore[union-attr]
            row["free_copy"] = True
        if kind == "RestrictiveArrangement":
            row["publication_date"] = row["start"] - dt.timedelta(days=75)  # type: ignore[operator]
        review = max(row["last_review"], row["start"])  # type: ignore[type-var]
        row["next_review"] = review + dt.timedelta(days=365 * 3 - 5)  # type: ignore[operator]
        if kind == "LegacyExclusiveContract":
            row.pop("next_review")
        rows.append(row)
    return rows


def charges(rng: random.Random) -> list[Row]:
    bodies = [enterprise_number(rng) for _ in range(10)]
    rows: list[Row] = []
    for index in range(200):
        body = rng.choice(bodies)
        hours, rate = rng.randrange(1, 12), rng.choice([55, 62, 70, 85])
        amount = Decimal(hours * rate) + Decimal(rng.randrange(10, 90))
        bases = sorted(rng.sample("abcdefg", 2))
        rows.append({
            "identifier": f"redevance-{index + 1:03d}", "dataset": f"jeu-payant-{index + 1:03d}",
            "charging_body": dotted(body), "listed": 2026, "amount": amount,
            "method": f"{hours} heures à {rate} EUR pour l'extraction et la validation, plus "
                      "la mise à disposition du fichier.",
            "cost_basis": bases[0], "cost_basis_2": bases[1] if index % 3 else None,
            "return": Decimal(rng.choice(["2,5", "4,0", "5,0"]).replace(",", ".")),
            "ecb_rate": Decimal("2.15"),
            "start": day(rng, dt.date(2025, 3, 1), dt.date(2026, 9, 1)),
            "end": dt.date(9999, 12, 31) if index % 2 else None,
        })
    return rows


ROW_MAKERS: dict[str, Callable[[random.Random], list[Row]]] = {
    "subsidies": subsidies, "contracts": contracts, "inventory": inventory,
    "exclusive-arrangements": arrangements, "charges": charges,
}
