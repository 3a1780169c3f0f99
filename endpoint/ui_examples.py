"""The example queries the UI opens with, one per kind of user of ``shared/DESIGN.md``: a
semantic-web developer finding out what the store holds, a data portal reading DCAT-AP
metadata, an analyst adding up subsidies. Each starts with the ontology's prefixes
(:data:`graph.namespaces.PREFIXES`), so that a user editing it has them at hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graph.namespaces import OBEU_DIMENSION
from graph.namespaces import PREFIXES
from graph.namespaces import SCHEMA


@dataclass(frozen=True)
class Example:
    """One example query, titled and described in fr, nl, de and en."""

    name: str
    audience: str
    title: dict[str, str]
    description: dict[str, str]
    body: str
    extra_prefixes: tuple[tuple[str, str], ...] = ()

    def text(self) -> str:
        """The query with its PREFIX lines."""
        prefixes = {**PREFIXES, **dict(self.extra_prefixes)}
        lines = [f"PREFIX {name}: <{iri}>" for name, iri in prefixes.items()]
        return "\n".join(lines) + "\n\n" + self.body.strip() + "\n"

    def as_dict(self, language: str) -> dict[str, Any]:
        return {"name": self.name, "audience": self.audience,
                "title": self.title.get(language, self.title["en"]),
                "description": self.description.get(language, self.description["en"]),
                "query": self.text()}


EXAMPLES = (
    Example(
        name="classes", audience="developer",
        title={"fr": "Classes et nombre d'instances", "nl": "Klassen en aantal instanties",
               "de": "Klassen und Anzahl der Instanzen", "en": "Classes and their instances"},
        description={
            "fr": "Ce que contient le graphe : chaque classe et le nombre de ses instances.",
            "nl": "Wat de graaf bevat: elke klasse en het aantal instanties.",
            "de": "Was der Graph enthält: jede Klasse und die Zahl ihrer Instanzen.",
            "en": "What the graph holds: every class and how many instances it has."},
        body="""
SELECT ?class (COUNT(DISTINCT ?resource) AS ?instances)
WHERE { ?resource a ?class }
GROUP BY ?class
ORDER BY DESC(?instances)
LIMIT 100
"""),
    Example(
        name="datasets", audience="portal",
        title={"fr": "Jeux de données DCAT-AP", "nl": "DCAT-AP-datasets",
               "de": "DCAT-AP-Datensätze", "en": "DCAT-AP datasets"},
        description={
            "fr": "Chaque jeu de données avec son éditeur, sa date de mise à jour et ses "
                  "formats, comme un portail moissonneur les lit.",
            "nl": "Elke dataset met uitgever, wijzigingsdatum en formaten, zoals een "
                  "oogstend portaal ze leest.",
            "de": "Jeder Datensatz mit Herausgeber, Aktualisierungsdatum und Formaten, wie "
                  "ein erntendes Portal sie liest.",
            "en": "Every dataset with its publisher, modification date and formats, as a "
                  "harvesting portal reads them."},
        body="""
SELECT ?dataset ?title ?publisher ?modified
       (GROUP_CONCAT(DISTINCT STRAFTER(STR(?format), "file-type/"); separator=", ") AS ?formats)
WHERE {
  ?dataset a dcat:Dataset ; dct:title ?title .
  FILTER(langMatches(lang(?title), "fr") || lang(?title) = "")
  OPTIONAL { ?dataset dct:publisher ?publisher }
  OPTIONAL { ?dataset dct:modified ?modified }
  OPTIONAL { ?dataset dcat:distribution/dct:format ?format }
}
GROUP BY ?dataset ?title ?publisher ?modified
ORDER BY DESC(?modified)
LIMIT 100
"""),
    Example(
        name="subsidies-per-year", audience="analyst",
        title={"fr": "Subventions par année budgétaire", "nl": "Subsidies per begrotingsjaar",
               "de": "Zuschüsse nach Haushaltsjahr", "en": "Subsidies per fiscal year"},
        description={
            "fr": "Nombre et montant total des subventions octroyées, par année.",
            "nl": "Aantal en totaalbedrag van de toegekende subsidies, per jaar.",
            "de": "Anzahl und Gesamtbetrag der gewährten Zuschüsse, nach Jahr.",
            "en": "How many subsidies were granted, and for how much, per year."},
        extra_prefixes=(("schema", SCHEMA), ("obd", OBEU_DIMENSION)),
        body="""
SELECT ?year (COUNT(?grant) AS ?grants) (SUM(?amount) AS ?total)
WHERE {
  ?grant a schema:MonetaryGrant ; schema:amount ?amount ; obd:fiscalYear ?fiscalYear .
  BIND(STRAFTER(STR(?fiscalYear), "/year/") AS ?year)
}
GROUP BY ?year
ORDER BY ?year
"""),
    Example(
        name="each-record-once", audience="developer",
        title={"fr": "Chaque subside compté une fois", "nl": "Elke subsidie één keer geteld",
               "de": "Jeder Zuschuss einmal gezählt", "en": "Each subsidy counted once"},
        description={
            "fr": "Subsides par bénéficiaire quand plusieurs registres décrivent le même "
                  "bénéficiaire : les faits d'un subside lus dans son registre, le "
                  "bénéficiaire joint une seule fois.",
            "nl": "Subsidies per begunstigde wanneer meerdere registers dezelfde begunstigde "
                  "beschrijven: de feiten van een subsidie gelezen in zijn register, de "
                  "begunstigde één keer gekoppeld.",
            "de": "Zuschüsse je Begünstigtem, wenn mehrere Register denselben Begünstigten "
                  "beschreiben: die Fakten eines Zuschusses in seinem Register gelesen, der "
                  "Begünstigte nur einmal verknüpft.",
            "en": "Subsidies per beneficiary when several registers describe the same "
                  "beneficiary: a subsidy's facts read in its own register, the beneficiary "
                  "joined once."},
        extra_prefixes=(("schema", SCHEMA),),
        body="""
SELECT ?beneficiary (COUNT(?grant) AS ?grants) (SUM(?amount) AS ?granted)
WHERE {
  # each beneficiary once, however many registers repeat its enterprise number
  { SELECT DISTINCT ?beneficiary WHERE { ?beneficiary schema:taxID ?number } }
  # each subsidy read in the register that lists it
  GRAPH ?register {
    ?grant a schema:MonetaryGrant ; schema:fundedItem ?beneficiary ; schema:amount ?amount .
  }
}
GROUP BY ?beneficiary
ORDER BY DESC(?granted)
LIMIT 20
"""),
)


def prefix_lines() -> str:
    """The ontology's prefixes as SPARQL PREFIX lines."""
    return "\n".join(f"PREFIX {name}: <{iri}>" for name, iri in PREFIXES.items())


def default_query() -> str:
    """What a new editor holds: the prefixes and a query that shows a few statements."""
    return prefix_lines() + "\n\nSELECT * WHERE { ?s ?p ?o } LIMIT 10\n"


def examples(language: str) -> list[dict[str, Any]]:
    """The example queries, titled in ``language``."""
    return [example.as_dict(language) for example in EXAMPLES]
