"""The five sample registries: their columns, titles in three languages, and RDF mapping.

Each :class:`Registry` gives its CSVW metadata (:meth:`Registry.metadata`);
``ontology/README.md`` ("Registries: contracts and subsidies") says why these
vocabularies. Instance IRIs are ``https://data.psikg.example/{kind}/{key}``
(the default base IRI), the same every time the same file is loaded.
"""

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


def _c(name: str, fr: str, nl: str, en: str, dfr: str, dnl: str, den: str,
       **options: Any) -> Column:
    return Column(name, {"fr": fr, "nl": nl, "en": en}, {"fr": dfr, "nl": dnl, "en": den},
                  **options)


SUBSIDY = BASE + "subsidy/{reference}"
BENEFICIARY = BASE + "beneficiary/{beneficiary_id}"
CONTRACTOR = BASE + "organisation/{contractor_id}"
"""A contractor's IRI: its enterprise number, else its normalised name (``contractor_id``)."""
"""A beneficiary: by its enterprise number, else by its name normalised (a natural
person's is their pseudonym), so every grant keeps one and spellings of a name with a
number make one node."""
SUBSIDIES = Registry(
    name="subsidies", sheet="Subsides",
    titles={"fr": "Subsides octroyés", "nl": "Toegekende subsidies", "en": "Subsidies granted"},
    descriptions={
        "fr": "Registre des subsides octroyés par les pouvoirs publics bruxellois et wallons : "
              "bénéficiaire, montants octroyé et liquidé, objet, article budgétaire, date de "
              "décision. Les bénéficiaires personnes physiques sont pseudonymisés.",
        "nl": "Register van de subsidies die Brusselse en Waalse overheden toekennen: "
              "begunstigde, toegekend en uitbetaald bedrag, doel, begrotingsartikel, datum van "
              "de beslissing. Begunstigde natuurlijke personen zijn gepseudonimiseerd.",
        "en": "Register of the subsidies granted by Brussels and Walloon public bodies: "
              "beneficiary, amounts granted and paid, purpose, budget article, decision date. "
              "Beneficiaries who are natural persons are pseudonymised."},
    about_url=SUBSIDY, primary_key="reference",
    natural_person_when={"column": "enterprise_number", "empty": True},
    columns=[
        _c("reference", "Référence", "Referentie", "Reference",
           "Identifiant du subside dans le registre.", "Kenmerk van de subsidie in het register.",
           "Identifier of the subsidy in the register.", required=True,
           property=DCT + "identifier"),
        _c("year", "Exercice", "Begrotingsjaar", "Budget year",
           "Exercice budgétaire sur lequel le subside est imputé.",
           "Begrotingsjaar waarop de subsidie wordt aangerekend.",
           "Budget year the subsidy is charged to.", datatype="integer", required=True,
           property=OBEU_DIMENSION + "fiscalYear",
           value_url="http://reference.data.gov.uk/id/year/{year}"),
        _c("granting_body", "Pouvoir subsidiant", "Subsidiërende overheid", "Granting body",
           "Nom du pouvoir public qui octroie le subside.",
           "Naam van de overheid die de subsidie toekent.",
           "Name of the public body granting the subsidy.", required=True),
        _c("granting_body_number", "N° BCE du pouvoir subsidiant",
           "KBO-nr. van de subsidiërende overheid", "Granting body's enterprise number",
           "Numéro d'entreprise (BCE) du pouvoir subsidiant.",
           "Ondernemingsnummer (KBO) van de subsidiërende overheid.",
           "Enterprise number (KBO/BCE) of the granting body.", datatype=KBO, required=True,
           property=SCHEMA + "funder", value_url=BASE + "public-body/{granting_body_number}"),
        _c("beneficiary", "Bénéficiaire", "Begunstigde", "Beneficiary",
           "Nom du bénéficiaire ; pseudonyme si c'est une personne physique.",
           "Naam van de begunstigde; pseudoniem als het een natuurlijke persoon is.",
           "Name of the beneficiary; a pseudonym for a natural person.", required=True,
           property=SCHEMA + "name", about_url=BENEFICIARY, personal="pseudonymise"),
        _c("enterprise_number", "Numéro d'entreprise", "Ondernemingsnummer", "Enterprise number",
           "Numéro d'entreprise (BCE) du bénéficiaire ; vide pour une personne physique.",
           "Ondernemingsnummer (KBO) van de begunstigde; leeg voor een natuurlijke persoon.",
           "Enterprise number (KBO/BCE) of the beneficiary; empty for a natural person.",
           datatype=KBO, property=SCHEMA + "taxID", about_url=BENEFICIARY),
        _c("amount_granted", "Montant octroyé (€)", "Toegekend bedrag (€)", "Amount granted (€)",
           "Montant du subside octroyé, en euros.", "Toegekend subsidiebedrag, in euro.",
           "Amount of the subsidy granted, in euros.", datatype=AMOUNT, required=True,
           property=SCHEMA + "amount", summed=True, xlsx_title="Montant\noctroyé (€)"),
        _c("amount_paid", "Montant liquidé (€)", "Uitbetaald bedrag (€)", "Amount paid (€)",
           "Montant effectivement versé au bénéficiaire, en euros.",
           "Werkelijk aan de begunstigde uitbetaald bedrag, in euro.",
           "Amount actually paid to the beneficiary, in euros.", datatype=AMOUNT,
           property=SCHEMA + "price", about_url=SUBSIDY + "/payment", summed=True,
           xlsx_title="Montant\nliquidé (€)"),
        _c("purpose", "Objet", "Doel", "Purpose", "Objet du subside, tel que décidé.",
           "Doel van de subsidie, zoals beslist.", "Purpose of the subsidy, as decided.",
           required=True, lang="fr", property=SCHEMA + "description"),
        _c("budget_article", "Article budgétaire", "Begrotingsartikel", "Budget article",
           "Article du budget sur lequel la dépense est imputée.",
           "Begrotingsartikel waarop de uitgave wordt aangerekend.",
           "Budget article the expenditure is charged to.",
           property=OBEU_DIMENSION + "classification",
           value_url=BASE + "budget-article/{budget_article}"),
        _c("decision_date", "Date de décision", "Datum van beslissing", "Decision date",
           "Date de la décision d'octroi (jj/mm/aaaa).",
           "Datum van de toekenningsbeslissing (dd/mm/jjjj).",
           "Date of the decision to grant (dd/mm/yyyy).", datatype=DATE, required=True,
           property=DCT + "issued"),
        _c("nis_code", "Code INS", "NIS-code", "NIS code",
           "Code INS (REFNIS) de la commune où le projet a lieu.",
           "NIS-code (REFNIS) van de gemeente waar het project plaatsvindt.",
           "NIS (REFNIS) code of the municipality where the project takes place.",
           datatype=NIS, property=DCT + "spatial",
           value_url="http://vocab.belgif.be/auth/refnis2019/{nis_code}"),
    ],
    virtuals=[
        FirstOf("beneficiary_id", ("enterprise_number", "beneficiary")),
        Virtual("grant_type", RDF_TYPE, SCHEMA + "MonetaryGrant"),
        Virtual("funded", SCHEMA + "fundedItem", BENEFICIARY),
        Virtual("payment_type", RDF_TYPE, SCHEMA + "PayAction", about_url=SUBSIDY + "/payment"),
        Virtual("payment_of", SCHEMA + "object", SUBSIDY, about_url=SUBSIDY + "/payment"),
    ],
)

CONTRACT = BASE + "contract/{reference}"
CONTRACTS = Registry(
    name="contracts", sheet="Marchés",
    titles={"fr": "Marchés publics attribués", "nl": "Gegunde overheidsopdrachten",
            "en": "Public contracts awarded"},
    descriptions={
        "fr": "Marchés publics attribués : procédure, code CPV, pouvoir adjudicateur, "
              "adjudicataire, montant attribué et date d'attribution.",
        "nl": "Gegunde overheidsopdrachten: procedure, CPV-code, aanbestedende overheid, "
              "opdrachtnemer, gegund bedrag en datum van gunning.",
        "en": "Public contracts awarded: procedure, CPV code, contracting body, contractor, "
              "amount awarded and award date."},
    about_url=CONTRACT, primary_key="reference",
    columns=[
        _c("reference", "Référence", "Referentie", "Reference",
           "Référence du marché.", "Referentie van de opdracht.", "Reference of the contract.",
           required=True, property=DCT + "identifier"),
        _c("title", "Objet du marché", "Voorwerp van de opdracht", "Subject",
           "Intitulé du marché.", "Titel van de opdracht.", "Title of the contract.",
           required=True, lang="fr", property=EPO + "hasTitle"),
        _c("procedure", "Procédure", "Procedure", "Procedure",
           "Procédure de passation, telle que la loi du 17 juin 2016 la nomme.",
           "Plaatsingsprocedure, zoals de wet van 17 juni 2016 ze noemt.",
           "Award procedure, as the Act of 17 June 2016 names it.", required=True),
        _c("procedure_code", "Code procédure (UE)", "Procedurecode (EU)", "Procedure code (EU)",
           "Code de la procédure dans la table d'autorité européenne.",
           "Code van de procedure in de Europese autoriteitstabel.",
           "Code of the procedure in the EU authority table.", required=True,
           property=EPO + "hasProcedureType",
           value_url="http://publications.europa.eu/resource/authority/"
                     "procurement-procedure-type/{procedure_code}"),
        _c("cpv", "Code CPV", "CPV-code", "CPV code",
           "Code CPV principal (vocabulaire commun pour les marchés publics).",
           "Hoofd-CPV-code (gemeenschappelijke woordenlijst overheidsopdrachten).",
           "Main CPV code (Common Procurement Vocabulary).", required=True,
           datatype={"base": "string", "format": "psikg:cpv"},
           property=EPO + "hasMainClassification", about_url=CONTRACT + "/purpose",
           value_url="http://data.europa.eu/cpv/cpv/{cpv}"),
        _c("contracting_body", "Pouvoir adjudicateur", "Aanbestedende overheid",
           "Contracting body", "Nom du pouvoir adjudicateur.",
           "Naam van de aanbestedende overheid.", "Name of the contracting body.",
           required=True),
        _c("contracting_body_number", "N° BCE du pouvoir adjudicateur",
           "KBO-nr. van de aanbestedende overheid", "Contracting body's enterprise number",
           "Numéro d'entreprise (BCE) du pouvoir adjudicateur.",
           "Ondernemingsnummer (KBO) van de aanbestedende overheid.",
           "Enterprise number (KBO/BCE) of the contracting body.", datatype=KBO,
           required=True, property=EPO + "involvesBuyer",
           value_url=BASE + "public-body/{contracting_body_number}"),
        _c("contractor", "Adjudicataire", "Opdrachtnemer", "Contractor",
           "Nom de l'entreprise à qui le marché est attribué.",
           "Naam van de onderneming aan wie de opdracht is gegund.",
           "Name of the company the contract is awarded to.", required=True,
           property=EPO + "hasLegalName", about_url=CONTRACTOR),
        _c("enterprise_number", "Numéro d'entreprise", "Ondernemingsnummer", "Enterprise number",
           "Numéro d'entreprise (BCE) de l'adjudicataire ; vide pour une entreprise étrangère. "
           "L'adjudicataire a pour IRI ce numéro, sinon son nom normalisé.",
           "Ondernemingsnummer (KBO) van de opdrachtnemer; leeg voor een buitenlandse "
           "onderneming. De IRI van de opdrachtnemer is dit nummer, anders zijn genormaliseerde "
           "naam.",
           "Enterprise number (KBO/BCE) of the contractor; empty for a foreign company. The "
           "contractor's IRI is this number, else its normalised name.", datatype=KBO,
           property=SCHEMA + "taxID", about_url=CONTRACTOR),
        _c("amount", "Montant attribué HTVA (€)", "Gegund bedrag excl. btw (€)",
           "Amount awarded excl. VAT (€)", "Montant attribué, hors TVA, en euros.",
           "Gegund bedrag, exclusief btw, in euro.", "Amount awarded, VAT excluded, in euros.",
           datatype=AMOUNT, required=True, property=EPO + "hasAmountValue",
           about_url=CONTRACT + "/value", summed=True, xlsx_title="Montant attribué\nHTVA (€)"),
        _c("award_date", "Date d'attribution", "Datum van gunning", "Award date",
           "Date de la décision d'attribution (jj/mm/aaaa).",
           "Datum van de gunningsbeslissing (dd/mm/jjjj).",
           "Date of the award decision (dd/mm/yyyy).", datatype=DATE, required=True,
           property=EPO + "hasAwardDecisionDate", about_url=CONTRACT + "/award"),
    ],
    virtuals=[
        Virtual("procedure_type", RDF_TYPE, EPO + "Procedure"),
        Virtual("purpose", EPO + "isSubjectTo", CONTRACT + "/purpose"),
        Virtual("outcome", EPO + "hasLotAwardOutcome", CONTRACT + "/award"),
        Virtual("award_type", RDF_TYPE, EPO + "LotAwardOutcome", about_url=CONTRACT + "/award"),
        Virtual("awarded_value", EPO + "hasAwardedValue", CONTRACT + "/value",
                about_url=CONTRACT + "/award"),
        Virtual("value_type", RDF_TYPE, EPO + "MonetaryValue", about_url=CONTRACT + "/value"),
        Virtual("currency", EPO + "hasCurrency",
                "http://publications.europa.eu/resource/authority/currency/EUR",
                about_url=CONTRACT + "/value"),
        FirstOf("contractor_id", ("enterprise_number", "contractor")),
        Virtual("winner", EPO + "hasWinner", CONTRACTOR, about_url=CONTRACT + "/award"),
    ],
)

DATASET = BASE + "dataset/{identifier}"
DISTRIBUTION = BASE + "distribution/{identifier}"
INVENTORY = Registry(
    name="inventory", sheet="Inventaire",
    titles={"fr": "Inventaire des informations de la Commune de Haute-Lesse",
            "nl": "Inventaris van de informatie van de gemeente Haute-Lesse",
            "en": "Information inventory of the municipality of Haute-Lesse"},
    descriptions={
        "fr": "Les informations que la commune diffuse, avec les métadonnées minimales de "
              "l'article 11 du décret du 24 novembre 2022. Quelques lignes sont "
              "volontairement incomplètes : la validation les signale.",
        "nl": "De informatie die de gemeente verspreidt, met de minimale metadata van artikel "
              "11 van het decreet van 24 november 2022. Enkele rijen zijn met opzet "
              "onvolledig: de validatie meldt ze.",
        "en": "The information the municipality disseminates, with the minimum metadata of "
              "Art. 11 of the decree of 24 November 2022. A few rows are deliberately "
              "incomplete: validation reports them."},
    about_url=DATASET, primary_key="identifier",
    columns=[
        _c("identifier", "Identifiant", "Kenmerk", "Identifier",
           "Identifiant du jeu de données dans l'inventaire.",
           "Kenmerk van de dataset in de inventaris.", "Identifier of the dataset.",
           required=True, datatype={"base": "string", "format": "[a-z0-9-]+"},
           property=DCT + "identifier"),
        _c("title", "Titre", "Titel", "Title", "Titre de l'information (art. 11, 1°).",
           "Titel van de informatie (art. 11, 1°).", "Title of the information (Art. 11, 1°).",
           lang="fr", property=DCT + "title"),
        _c("title_nl", "Titre (néerlandais)", "Titel (Nederlands)", "Title (Dutch)",
           "Titre en néerlandais.", "Titel in het Nederlands.", "Title in Dutch.",
           lang="nl", property=DCT + "title"),
        _c("description", "Description", "Beschrijving", "Description",
           "Description résumée (art. 11, 1°).", "Samenvattende beschrijving (art. 11, 1°).",
           "Summary description (Art. 11, 1°).", lang="fr", property=DCT + "description"),
        _c("created", "Date de création", "Aanmaakdatum", "Created",
           "Date de création de l'information (art. 11, 1°).",
           "Aanmaakdatum van de informatie (art. 11, 1°).",
           "Date the information was created (Art. 11, 1°).", datatype=DATE,
           property=DCT + "created"),
        _c("modified", "Date de mise à jour", "Datum van bijwerking", "Modified",
           "Date de la dernière mise à jour (art. 11, 1°).",
           "Datum van de laatste bijwerking (art. 11, 1°).",
           "Date of the last update (Art. 11, 1°).", datatype=DATE, property=DCT + "modified"),
        _c("licence", "Licence", "Licentie", "Licence",
           "Conditions de réutilisation : code de la licence dans la table européenne "
           "(CC0, CC_BY_4_0, CC_BYSA_4_0).",
           "Hergebruiksvoorwaarden: code van de licentie in de Europese tabel.",
           "Reuse conditions: licence code in the EU table.",
           property=DCT + "license",
           value_url="http://publications.europa.eu/resource/authority/licence/{licence}"),
        _c("owner", "Propriétaire (BCE)", "Eigenaar (KBO)", "Owner (KBO)",
           "Numéro d'entreprise du propriétaire de l'information (art. 11, 2°).",
           "Ondernemingsnummer van de eigenaar van de informatie (art. 11, 2°).",
           "Enterprise number of the owner of the information (Art. 11, 2°).", datatype=KBO,
           property=DCT + "rightsHolder", value_url=BASE + "public-body/{owner}"),
        _c("manager", "Gestionnaire (BCE)", "Beheerder (KBO)", "Manager (KBO)",
           "Numéro d'entreprise de l'organisme chargé de la gestion et de la diffusion "
           "(art. 11, 2°).",
           "Ondernemingsnummer van de instantie belast met beheer en verspreiding (art. 11, 2°).",
           "Enterprise number of the body managing and disseminating it (Art. 11, 2°).",
           datatype=KBO, property=DCT + "publisher", value_url=BASE + "public-body/{manager}"),
        _c("format", "Format", "Formaat", "Format",
           "Format du fichier diffusé (code de la table européenne : CSV, XLSX, GEOJSON…).",
           "Formaat van het verspreide bestand (code van de Europese tabel).",
           "Format of the file disseminated (EU file-type code).", required=True,
           property=DCT + "format", about_url=DISTRIBUTION,
           value_url="http://publications.europa.eu/resource/authority/file-type/{format}"),
        _c("download_url", "Adresse de téléchargement", "Downloadadres", "Download URL",
           "Adresse du fichier.", "Adres van het bestand.", "Address of the file.",
           datatype="anyURI", property=DCAT + "downloadURL", about_url=DISTRIBUTION,
           value_url="{+download_url}"),
        _c("hvd_category", "Catégorie HVD", "HVD-categorie", "HVD category",
           "Catégorie de données de forte valeur (règlement 2023/138), s'il y a lieu.",
           "Categorie hoogwaardige gegevens (verordening 2023/138), indien van toepassing.",
           "High-value dataset category (Regulation 2023/138), if any.",
           property=DCATAP + "hvdCategory", value_url="http://data.europa.eu/bna/{hvd_category}"),
        _c("personal_data", "Données personnelles", "Persoonsgegevens", "Personal data",
           "L'information contient-elle des données à caractère personnel ? (oui/non)",
           "Bevat de informatie persoonsgegevens? (oui/non)",
           "Does the information contain personal data? (oui/non)", datatype=YES_NO,
           required=True, property=PSI + "containsPersonalData"),
        _c("anonymisation", "Technique d'anonymisation", "Anonimiseringstechniek",
           "Anonymisation technique",
           "Technique appliquée avant diffusion (pseudonymisation, suppression…).",
           "Techniek toegepast voor verspreiding.", "Technique applied before dissemination.",
           property=PSI + "anonymisationTechnique",
           value_url="https://w3id.org/psikg/code/anonymisation-technique/{anonymisation}"),
        _c("anonymised", "Anonymisée", "Geanonimiseerd", "Anonymised",
           "Les données personnelles ont-elles été anonymisées ? (oui/non)",
           "Zijn de persoonsgegevens geanonimiseerd? (oui/non)",
           "Has the personal data been anonymised? (oui/non)", datatype=YES_NO,
           property=PSI + "anonymised"),
        _c("dynamic", "Données dynamiques", "Dynamische gegevens", "Dynamic data",
           "Données actualisées fréquemment ou en temps réel ? (oui/non)",
           "Vaak of in real time bijgewerkte gegevens? (oui/non)",
           "Data updated frequently or in real time? (oui/non)", datatype=YES_NO,
           required=True, property=PSI + "dynamicData"),
    ],
    virtuals=[
        Virtual("dataset_type", RDF_TYPE, DCAT + "Dataset"),
        Virtual("disseminated", PSI + "disseminationMode",
                "https://w3id.org/psikg/code/dissemination-mode/disseminated"),
        Virtual("distribution", DCAT + "distribution", DISTRIBUTION),
        Virtual("distribution_type", RDF_TYPE, DCAT + "Distribution", about_url=DISTRIBUTION),
    ],
)

ARRANGEMENT = BASE + "arrangement/{identifier}"
ARRANGEMENTS = Registry(
    name="exclusive-arrangements", sheet="Exclusivités",
    titles={"fr": "Registre des accords d'exclusivité (art. 20)",
            "nl": "Register van exclusieve regelingen (art. 20)",
            "en": "Register of exclusive arrangements (Art. 20)"},
    descriptions={
        "fr": "Droits d'exclusivité et dispositifs restreignant la réutilisation, avec leur "
              "justification, leur période et leurs réexamens (décret, art. 20).",
        "nl": "Exclusieve rechten en regelingen die hergebruik beperken, met hun "
              "rechtvaardiging, periode en herzieningen (decreet, art. 20).",
        "en": "Exclusive rights and arrangements restricting reuse, with their justification, "
              "period and reviews (decree, Art. 20)."},
    about_url=ARRANGEMENT, primary_key="identifier",
    columns=[
        _c("identifier", "Identifiant", "Kenmerk", "Identifier", "Identifiant de l'accord.",
           "Kenmerk van de regeling.", "Identifier of the arrangement.", required=True,
           datatype={"base": "string", "format": "[a-z0-9-]+"}, property=DCT + "identifier"),
        _c("kind", "Type (psi:)", "Soort (psi:)", "Kind (psi:)",
           "Classe de l'accord : Exclusivity, CulturalDigitisationExclusivity, "
           "RestrictiveArrangement ou LegacyExclusiveContract.",
           "Klasse van de regeling (ontologie psi:).", "Class of the arrangement (psi: ontology).",
           required=True, property=RDF_TYPE, value_url=PSI + "{kind}",
           datatype={"base": "string", "format": "Exclusivity|CulturalDigitisationExclusivity"
                     "|RestrictiveArrangement|LegacyExclusiveContract"}),
        _c("title", "Intitulé", "Titel", "Title", "Intitulé de l'accord.",
           "Titel van de regeling.", "Title of the arrangement.", required=True, lang="fr",
           property=DCT + "title"),
        _c("grantor", "Organisme (BCE)", "Instantie (KBO)", "Granting body (KBO)",
           "Numéro d'entreprise de l'organisme public qui accorde l'exclusivité.",
           "Ondernemingsnummer van de overheidsinstantie die de exclusiviteit verleent.",
           "Enterprise number of the public body granting it.", datatype=KBO, required=True,
           property=PSI + "grantor", value_url=BASE + "public-body/{grantor}"),
        _c("grantee", "Bénéficiaire (BCE)", "Begunstigde (KBO)", "Grantee (KBO)",
           "Numéro d'entreprise du bénéficiaire de l'exclusivité.",
           "Ondernemingsnummer van de begunstigde.", "Enterprise number of the grantee.",
           datatype=KBO, required=True, property=PSI + "grantee",
           value_url=BASE + "organisation/{grantee}"),
        _c("dataset", "Information concernée", "Betrokken informatie", "Information concerned",
           "Identifiant du jeu de données concerné.", "Kenmerk van de betrokken dataset.",
           "Identifier of the dataset concerned.", required=True,
           property=PSI + "concernsInformation", value_url=BASE + "dataset/{dataset}"),
        _c("justification", "Justification", "Rechtvaardiging", "Justification",
           "Pourquoi l'exclusivité est nécessaire à un service d'intérêt général.",
           "Waarom de exclusiviteit nodig is voor een dienst van algemeen belang.",
           "Why the exclusivity is needed for a service of general interest.", lang="fr",
           property=PSI + "justification"),
        _c("page", "Page de publication", "Publicatiepagina", "Publication page",
           "Page web où l'accord est publié.", "Webpagina waar de regeling is gepubliceerd.",
           "Web page where the arrangement is published.", datatype="anyURI",
           property=PSI + "publicationPage", value_url="{+page}"),
        _c("publication_date", "Date de publication", "Publicatiedatum", "Publication date",
           "Date de publication (dispositifs restrictifs : deux mois avant le début).",
           "Publicatiedatum (beperkende regelingen: twee maanden voor de aanvang).",
           "Publication date (restrictive arrangements: two months before the start).",
           datatype=DATE, property=PSI + "publicationDate"),
        _c("start", "Début", "Begin", "Start", "Date de début.", "Begindatum.", "Start date.",
           datatype=DATE, required=True, property=SCHEMA + "startDate"),
        _c("end", "Fin", "Einde", "End", "Date de fin ; 31/12/9999 : sans date de fin.",
           "Einddatum; 31/12/9999: zonder einddatum.", "End date; 31/12/9999: no end date.",
           datatype=DATE, null=OPEN_END, property=SCHEMA + "endDate"),
        _c("last_review", "Dernier réexamen", "Laatste herziening", "Last review",
           "Date du dernier réexamen (au moins tous les trois ans).",
           "Datum van de laatste herziening (minstens om de drie jaar).",
           "Date of the last review (at least every three years).", datatype=DATE,
           property=PSI + "lastReview"),
        _c("next_review", "Prochain réexamen", "Volgende herziening", "Next review",
           "Date du prochain réexamen.", "Datum van de volgende herziening.",
           "Date of the next review.", datatype=DATE, property=PSI + "nextReview"),
        _c("free_copy", "Copie gratuite", "Gratis kopie", "Free copy",
           "Numérisation culturelle : copie gratuite fournie à l'organisme ? (oui/non)",
           "Culturele digitalisering: gratis kopie aan de instantie? (oui/non)",
           "Cultural digitisation: free copy provided to the body? (oui/non)",
           datatype=YES_NO, property=PSI + "freeCopyProvided"),
    ],
)

CHARGE = BASE + "charge/{identifier}"
CHARGES = Registry(
    name="charges", sheet="Redevances",
    titles={"fr": "Registre des redevances de réutilisation (art. 18)",
            "nl": "Register van hergebruikvergoedingen (art. 18)",
            "en": "Register of reuse charges (Art. 18)"},
    descriptions={
        "fr": "Redevances réclamées pour la réutilisation : montant, méthode de calcul, bases "
              "de coût, rendement raisonnable et période (décret, art. 18).",
        "nl": "Vergoedingen voor hergebruik: bedrag, berekeningswijze, kostengrondslagen, "
              "redelijk rendement en periode (decreet, art. 18).",
        "en": "Charges for reuse: amount, calculation method, cost bases, reasonable return "
              "and period (decree, Art. 18)."},
    about_url=CHARGE, primary_key="identifier",
    columns=[
        _c("identifier", "Identifiant", "Kenmerk", "Identifier", "Identifiant de la redevance.",
           "Kenmerk van de vergoeding.", "Identifier of the charge.", required=True,
           datatype={"base": "string", "format": "[a-z0-9-]+"}, property=DCT + "identifier"),
        _c("dataset", "Information concernée", "Betrokken informatie", "Information concerned",
           "Identifiant du jeu de données soumis à redevance.",
           "Kenmerk van de dataset waarvoor een vergoeding geldt.",
           "Identifier of the dataset the charge applies to.", required=True,
           property=PSI + "charge", about_url=BASE + "dataset/{dataset}", value_url=CHARGE),
        _c("charging_body", "Organisme (BCE)", "Instantie (KBO)", "Charging body (KBO)",
           "Numéro d'entreprise de l'organisme qui réclame la redevance.",
           "Ondernemingsnummer van de instantie die de vergoeding vraagt.",
           "Enterprise number of the body charging.", datatype=KBO, required=True,
           property=PSI + "chargingBody", value_url=BASE + "public-body/{charging_body}"),
        _c("listed", "Liste art. 18, § 2", "Lijst art. 18, § 2", "Art. 18 § 2 list",
           "Année de la liste publiée des organismes autorisés à réclamer une redevance.",
           "Jaar van de gepubliceerde lijst van instanties die een vergoeding mogen vragen.",
           "Year of the published list of bodies allowed to charge.", datatype="integer",
           required=True, property=PSI + "listedBody",
           about_url=BASE + "charging-body-list/{listed}",
           value_url=BASE + "public-body/{charging_body}"),
        _c("amount", "Montant (€)", "Bedrag (€)", "Amount (€)", "Montant de la redevance.",
           "Bedrag van de vergoeding.", "Amount of the charge.", datatype=AMOUNT,
           required=True, property=PSI + "chargeAmount", summed=True),
        _c("method", "Méthode de calcul", "Berekeningswijze", "Calculation method",
           "Comment le montant est calculé (art. 18, § 4).",
           "Hoe het bedrag wordt berekend (art. 18, § 4).",
           "How the amount is calculated (Art. 18, § 4).", required=True, lang="fr",
           property=PSI + "calculationMethod"),
        _c("cost_basis", "Base de coût", "Kostengrondslag", "Cost basis",
           "Lettre de la base de coût de l'art. 18, § 3 (a à i).",
           "Letter van de kostengrondslag van art. 18, § 3 (a tot i).",
           "Letter of the cost basis of Art. 18, § 3 (a to i).", required=True,
           datatype={"base": "string", "format": "[a-i]"}, property=PSI + "costBasis",
           value_url="https://w3id.org/psikg/code/cost-basis/{cost_basis}"),
        _c("cost_basis_2", "Seconde base de coût", "Tweede kostengrondslag", "Second cost basis",
           "Lettre d'une seconde base de coût, s'il y a lieu.",
           "Letter van een tweede kostengrondslag, indien van toepassing.",
           "Letter of a second cost basis, if any.",
           datatype={"base": "string", "format": "[a-i]"}, property=PSI + "costBasis",
           value_url="https://w3id.org/psikg/code/cost-basis/{cost_basis_2}"),
        _c("return", "Rendement (%)", "Rendement (%)", "Return (%)",
           "Rendement raisonnable de l'investissement, en pour cent.",
           "Redelijk rendement op de investering, in procent.",
           "Reasonable return on investment, in percent.",
           datatype={"base": "decimal", "format": {"decimalChar": ","}},
           property=PSI + "reasonableReturn"),
        _c("ecb_rate", "Taux BCE (%)", "ECB-rente (%)", "ECB rate (%)",
           "Taux fixe de la BCE de référence, en pour cent.",
           "Vaste referentierente van de ECB, in procent.",
           "ECB fixed reference rate, in percent.",
           datatype={"base": "decimal", "format": {"decimalChar": ","}},
           property=PSI + "ecbReferenceRate"),
        _c("start", "Début", "Begin", "Start", "Date de début.", "Begindatum.", "Start date.",
           datatype=DATE, required=True, property=SCHEMA + "startDate"),
        _c("end", "Fin", "Einde", "End", "Date de fin ; 31/12/9999 : sans date de fin.",
           "Einddatum; 31/12/9999: zonder einddatum.", "End date; 31/12/9999: no end date.",
           datatype=DATE, null=OPEN_END, property=SCHEMA + "endDate"),
    ],
    virtuals=[Virtual("charge_type", RDF_TYPE, PSI + "Charge"),
              Virtual("list_type", RDF_TYPE, PSI + "ChargingBodyList",
                      about_url=BASE + "charging-body-list/{listed}")],
)

REGISTRIES = [SUBSIDIES, CONTRACTS, INVENTORY, ARRANGEMENTS, CHARGES]
