"""The shape of a sample registry: its columns, titles in three languages, and RDF mapping,
as values that write CSVW metadata (:meth:`Registry.metadata`). The five samples are in
:mod:`examples.registries`."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from typing import Any

BASE = "https://data.psikg.example/"
PSI = "https://w3id.org/psikg/ontology#"
EPO = "http://data.europa.eu/a4g/ontology#"
SCHEMA = "https://schema.org/"
DCT = "http://purl.org/dc/terms/"
DCAT = "http://www.w3.org/ns/dcat#"
DCATAP = "http://data.europa.eu/r5r/"
FOAF = "http://xmlns.com/foaf/0.1/"
OBEU_DIMENSION = "http://data.openbudgets.eu/ontology/dsd/dimension/"
RDF_TYPE = "rdf:type"
AMOUNT = {"base": "decimal", "format": "psikg:amount-be"}
DATE = {"base": "date", "format": "psikg:date-be"}
OPEN_END = ["", "31/12/9999", "9999-12-31"]
"""The null values of an end-date column: empty, or the open end date (CSV text, Excel cell)."""
KBO = {"base": "string", "format": "psikg:kbo"}
NIS = {"base": "string", "format": "psikg:nis"}
YES_NO = {"base": "boolean", "format": "oui|non"}


@dataclass(frozen=True)
class Column:
    """One column of a registry and the triple it makes."""

    name: str
    titles: dict[str, str]
    """fr, nl, en."""
    descriptions: dict[str, str]
    datatype: str | dict[str, str] = "string"
    property: str | None = None
    value_url: str | None = None
    about_url: str | None = None
    required: bool = False
    lang: str | None = None
    personal: str | dict[str, str] | None = None
    """``pseudonymise``, ``drop`` or ``{"method": …, "withoutKey": …}`` (loaders/anonymise.py)."""
    summed: bool = False
    """Summed in the workbook's totals row."""
    xlsx_title: str | None = None
    """The title as the workbook writes it (with a line break), if it differs."""
    null: list[str] | None = None

    def metadata(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "name": self.name,
            "titles": dict(self.titles),
            "dc:description": [{"@value": text, "@language": lang}
                               for lang, text in self.descriptions.items()],
            "datatype": self.datatype,
        }
        if self.required:
            data["required"] = True
        if self.lang:
            data["lang"] = self.lang
        if self.about_url:
            data["aboutUrl"] = self.about_url
        if self.property:
            data["propertyUrl"] = self.property
        else:
            data["suppressOutput"] = True
        if self.value_url:
            data["valueUrl"] = self.value_url
        if self.personal:
            data["psikg:personalData"] = self.personal
        if self.null:
            data["null"] = self.null
        return data


@dataclass(frozen=True)
class Virtual:
    """A virtual column: a triple every row makes (a type, a link between its nodes)."""

    name: str
    property: str
    value_url: str
    about_url: str | None = None

    def metadata(self) -> dict[str, Any]:
        data: dict[str, Any] = {"name": self.name, "virtual": True,
                                "propertyUrl": self.property, "valueUrl": self.value_url}
        if self.about_url:
            data["aboutUrl"] = self.about_url
        return data


@dataclass(frozen=True)
class FirstOf:
    """A virtual key column: the first non-null of ``columns``, normalised (``psikg:firstOf``,
    loaders/csvw/first_of.py), for templates only."""

    name: str
    columns: tuple[str, ...]
    normalise: str = "name"

    def metadata(self) -> dict[str, Any]:
        return {"name": self.name, "virtual": True, "suppressOutput": True,
                "psikg:firstOf": list(self.columns), "psikg:normalise": self.normalise}


@dataclass(frozen=True)
class Registry:
    name: str
    sheet: str
    titles: dict[str, str]
    descriptions: dict[str, str]
    about_url: str
    primary_key: str
    columns: list[Column]
    virtuals: list[Virtual | FirstOf] = field(default_factory=list)
    natural_person_when: dict[str, Any] | None = None

    def metadata(self) -> dict[str, Any]:
        """The CSVW metadata: the CSV's description, also valid for the workbook."""
        schema: dict[str, Any] = {
            "aboutUrl": self.about_url,
            "primaryKey": self.primary_key,
            "columns": [c.metadata() for c in self.columns] + [v.metadata() for v in self.virtuals],
        }
        if self.natural_person_when:
            schema["psikg:naturalPersonWhen"] = self.natural_person_when
        return {
            "@context": "http://www.w3.org/ns/csvw",
            "url": f"{self.name}.csv",
            "dc:title": [{"@value": text, "@language": lang} for lang, text in self.titles.items()],
            "dc:description": [{"@value": text, "@language": lang}
                               for lang, text in self.descriptions.items()],
            "dc:license": {"@id": "http://publications.europa.eu/resource/authority/licence/CC_BY_4_0"},
            "psikg:dataset": f"{BASE}dataset/{self.name}",
            "dialect": {
                "delimiter": ";",
                "skipBlankRows": True,
                "psikg:sheet": self.sheet,
                "psikg:headerRowPattern": f"^{self.columns[0].titles['fr']}\\t",
                "psikg:skipRowPatterns": ["^Total\\b"],
            },
            "tableSchema": schema,
        }


def col(name: str, fr: str, nl: str, en: str, dfr: str, dnl: str, den: str,
       **options: Any) -> Column:
    """A column with its titles and descriptions in French, Dutch and English."""
    return Column(name, {"fr": fr, "nl": nl, "en": en}, {"fr": dfr, "nl": dnl, "en": den},
                  **options)
