"""The five sample registries: their columns, titles in three languages, and RDF mapping.

Each :class:`Registry` gives its CSVW metadata (:meth:`Registry.metadata`);
``ontology/README.md`` ("Registries: contracts and subsidies") says why these
vocabularies. Instance IRIs are ``https://data.psikg.example/{kind}/{key}``
(the default base IRI), the same every time the same file is loaded.
"""

from __future__ import annotations

from examples.registry_model import AMOUNT
from examples.registry_model import BASE
from examples.registry_model import DATE
from examples.registry_model import DCAT
from examples.registry_model import DCATAP
from examples.registry_model import DCT
from examples.registry_model import EPO
from examples.registry_model import KBO
from examples.registry_model import NIS
from examples.registry_model import OBEU_DIMENSION
from examples.registry_model import OPEN_END
from examples.registry_model import PSI
from examples.registry_model import RDF_TYPE
from examples.registry_model import SCHEMA
from examples.registry_model import YES_NO
from examples.registry_model import FirstOf
from examples.registry_model import Registry
from examples.registry_model import Virtual
from examples.registry_model import col

SUBSIDY = BASE + "subsidy/{reference}"
BENEFICIARY = BASE + "beneficiary/{beneficiary_id}"
"""A beneficiary: by its enterprise number, else by its name normalised (a natural
person's is their pseudonym), so every grant keeps one and spellings of a name with a
number make one node."""
CONTRACTOR = BASE + "organisation/{contractor_id}"
"""A contractor's IRI: its enterprise number, else its normalised name (``contractor_id``)."""
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
        col("reference", "Référence", "Referentie", "Reference",
           "Identifiant du subside dans le registre.", "Kenmerk van de subsidie in het register.",
           "Identifier of the subsidy in the register.", required=True,
           property=DCT + "identifier"),
        col("year", "Exercice", "Begrotingsjaar", "Budget year",
           "Exercice budgétaire sur lequel le subside est imputé.",
           "Begrotingsjaar waarop de subsidie wordt aangerekend.",
           "Budget year the subsidy is charged to.", datatype="integer", required=True,
           property=OBEU_DIMENSION + "fiscalYear",
           value_url="http://reference.data.gov.uk/id/year/{year}"),
        col("granting_body", "Pouvoir subsidiant", "Subsidiërende overheid", "Granting body",
           "Nom du pouvoir public qui octroie le subside.",
           "Naam van de overheid die de subsidie toekent.",
           "Name of the public body granting the subsidy.", required=True),
        col("granting_body_number", "N° BCE du pouvoir subsidiant",
           "KBO-nr. van de subsidiërende overheid", "Granting body's enterprise number",
           "Numéro d'entreprise (BCE) du pouvoir subsidiant.",
           "Ondernemingsnummer (KBO) van de subsidiërende overheid.",
           "Enterprise number (KBO/BCE) of the granting body.", datatype=KBO, required=True,
           property=SCHEMA + "funder", value_url=BASE + "public-body/{granting_body_number}"),
        col("beneficiary", "Bénéficiaire", "Begunstigde", "Beneficiary",
           "Nom du bénéficiaire ; pseudonyme si c'est une personne physique.",
           "Naam van de begunstigde; pseudoniem als het een natuurlijke persoon is.",
           "Name of the beneficiary; a pseudonym for a natural person.", required=True,
           property=SCHEMA + "name", about_url=BENEFICIARY, personal="pseudonymise"),
        col("enterprise_number", "Numéro d'entreprise", "Ondernemingsnummer", "Enterprise number",
           "Numéro d'entreprise (BCE) du bénéficiaire ; vide pour une personne physique.",
           "Ondernemingsnummer (KBO) van de begunstigde; leeg voor een natuurlijke persoon.",
           "Enterprise number (KBO/BCE) of the beneficiary; empty for a natural person.",
           datatype=KBO, property=SCHEMA + "taxID", about_url=BENEFICIARY),
        col("amount_granted", "Montant octroyé (€)", "Toegekend bedrag (€)", "Amount granted (€)",
           "Montant du subside octroyé, en euros.", "Toegekend subsidiebedrag, in euro.",
           "Amount of the subsidy granted, in euros.", datatype=AMOUNT, required=True,
           property=SCHEMA + "amount", summed=True, xlsx_title="Montant\noctroyé (€)"),
        col("amount_paid", "Montant liquidé (€)", "Uitbetaald bedrag (€)", "Amount paid (€)",
           "Montant effectivement versé au bénéficiaire, en euros.",
           "Werkelijk aan de begunstigde uitbetaald bedrag, in euro.",
           "Amount actually paid to the beneficiary, in euros.", datatype=AMOUNT,
           property=SCHEMA + "price", about_url=SUBSIDY + "/payment", summed=True,
           xlsx_title="Montant\nliquidé (€)"),
        col("purpose", "Objet", "Doel", "Purpose", "Objet du subside, tel que décidé.",
           "Doel van de subsidie, zoals beslist.", "Purpose of the subsidy, as decided.",
           required=True, lang="fr", property=SCHEMA + "description"),
        col("budget_article", "Article budgétaire", "Begrotingsartikel", "Budget article",
           "Article du budget sur lequel la dépense est imputée.",
           "Begrotingsartikel waarop de uitgave wordt aangerekend.",
           "Budget article the expenditure is charged to.",
           property=OBEU_DIMENSION + "classification",
           value_url=BASE + "budget-article/{budget_article}"),
        col("decision_date", "Date de décision", "Datum van beslissing", "Decision date",
           "Date de la décision d'octroi (jj/mm/aaaa).",
           "Datum van de toekenningsbeslissing (dd/mm/jjjj).",
           "Date of the decision to grant (dd/mm/yyyy).", datatype=DATE, required=True,
           property=DCT + "issued"),
        col("nis_code", "Code INS", "NIS-code", "NIS code",
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
        col("reference", "Référence", "Referentie", "Reference",
           "Référence du marché.", "Referentie van de opdracht.", "Reference of the contract.",
           required=True, property=DCT + "identifier"),
        col("title", "Objet du marché", "Voorwerp van de opdracht", "Subject",
           "Intitulé du marché.", "Titel van de opdracht.", "Title of the contract.",
           required=True, lang="fr", property=EPO + "hasTitle"),
        col("procedure", "Procédure", "Procedure", "Procedure",
           "Procédure de passation, telle que la loi du 17 juin 2016 la nomme.",
           "Plaatsingsprocedure, zoals de wet van 17 juni 2016 ze noemt.",
           "Award procedure, as the Act of 17 June 2016 names it.", required=True),
        col("procedure_code", "Code procédure (UE)", "Procedurecode (EU)", "Procedure code (EU)",
           "Code de la procédure dans la table d'autorité européenne.",
           "Code van de procedure in de Europese autoriteitstabel.",
           "Code of the procedure in the EU authority table.", required=True,
           property=EPO + "hasProcedureType",
           value_url="http://publications.europa.eu/resource/authority/"
                     "procurement-procedure-type/{procedure_code}"),
        col("cpv", "Code CPV", "CPV-code", "CPV code",
           "Code CPV principal (vocabulaire commun pour les marchés publics).",
           "Hoofd-CPV-code (gemeenschappelijke woordenlijst overheidsopdrachten).",
           "Main CPV code (Common Procurement Vocabulary).", required=True,
           datatype={"base": "string", "format": "psikg:cpv"},
           property=EPO + "hasMainClassification", about_url=CONTRACT + "/purpose",
           value_url="http://data.europa.eu/cpv/cpv/{cpv}"),
        col("contracting_body", "Pouvoir adjudicateur", "Aanbestedende overheid",
           "Contracting body", "Nom du pouvoir adjudicateur.",
           "Naam van de aanbestedende overheid.", "Name of the contracting body.",
           required=True),
        col("contracting_body_number", "N° BCE du pouvoir adjudicateur",
           "KBO-nr. van de aanbestedende overheid", "Contracting body's enterprise number",
           "Numéro d'entreprise (BCE) du pouvoir adjudicateur.",
           "Ondernemingsnummer (KBO) van de aanbestedende overheid.",
           "Enterprise number (KBO/BCE) of the contracting body.", datatype=KBO,
           required=True, property=EPO + "involvesBuyer",
           value_url=BASE + "public-body/{contracting_body_number}"),
        col("contractor", "Adjudicataire", "Opdrachtnemer", "Contractor",
           "Nom de l'entreprise à qui le marché est attribué.",
           "Naam van de onderneming aan wie de opdracht is gegund.",
           "Name of the company the contract is awarded to.", required=True,
           property=EPO + "hasLegalName", about_url=CONTRACTOR),
        col("enterprise_number", "Numéro d'entreprise", "Ondernemingsnummer", "Enterprise number",
           "Numéro d'entreprise (BCE) de l'adjudicataire ; vide pour une entreprise étrangère. "
           "L'adjudicataire a pour IRI ce numéro, sinon son nom normalisé.",
           "Ondernemingsnummer (KBO) van de opdrachtnemer; leeg voor een buitenlandse "
           "onderneming. De IRI van de opdrachtnemer is dit nummer, anders zijn genormaliseerde "
           "naam.",
           "Enterprise number (KBO/BCE) of the contractor; empty for a foreign company. The "
           "contractor's IRI is this number, else its normalised name.", datatype=KBO,
           property=SCHEMA + "taxID", about_url=CONTRACTOR),
        col("amount", "Montant attribué HTVA (€)", "Gegund bedrag excl. btw (€)",
           "Amount awarded excl. VAT (€)", "Montant attribué, hors TVA, en euros.",
           "Gegund bedrag, exclusief btw, in euro.", "Amount awarded, VAT excluded, in euros.",
           datatype=AMOUNT, required=True, property=EPO + "hasAmountValue",
           about_url=CONTRACT + "/value", summed=True, xlsx_title="Montant attribué\nHTVA (€)"),
        col("award_date", "Date d'attribution", "Datum van gunning", "Award date",
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
        col("identifier", "Identifiant", "Kenmerk", "Identifier",
           "Identifiant du jeu de données dans l'inventaire.",
           "Kenmerk van de dataset in de inventaris.", "Identifier of the dataset.",
           required=True, datatype={"base": "string", "format": "[a-z0-9-]+"},
           property=DCT + "identifier"),
        col("title", "Titre", "Titel", "Title", "Titre de l'information (art. 11, 1°).",
           "Titel van de informatie (art. 11, 1°).", "Title of the information (Art. 11, 1°).",
           lang="fr", property=DCT + "title"),
        col("title_nl", "Titre (néerlandais)", "Titel (Nederlands)", "Title (Dutch)",
           "Titre en néerlandais.", "Titel in het Nederlands.", "Title in Dutch.",
           lang="nl", property=DCT + "title"),
        col("description", "Description", "Beschrijving", "Description",
           "Description résumée (art. 11, 1°).", "Samenvattende beschrijving (art. 11, 1°).",
           "Summary description (Art. 11, 1°).", lang="fr", property=DCT + "description"),
        col("created", "Date de création", "Aanmaakdatum", "Created",
           "Date de création de l'information (art. 11, 1°).",
           "Aanmaakdatum van de informatie (art. 11, 1°).",
           "Date the information was created (Art. 11, 1°).", datatype=DATE,
           property=DCT + "created"),
        col("modified", "Date de mise à jour", "Datum van bijwerking", "Modified",
           "Date de la dernière mise à jour (art. 11, 1°).",
           "Datum van de laatste bijwerking (art. 11, 1°).",
           "Date of the last update (Art. 11, 1°).", datatype=DATE, property=DCT + "modified"),
        col("licence", "Licence", "Licentie", "Licence",
           "Conditions de réutilisation : code de la licence dans la table européenne "
           "(CC0, CC_BY_4_0, CC_BYSA_4_0).",
           "Hergebruiksvoorwaarden: code van de licentie in de Europese tabel.",
           "Reuse conditions: licence code in the EU table.",
           property=DCT + "license",
           value_url="http://publications.europa.eu/resource/authority/licence/{licence}"),
        col("owner", "Propriétaire (BCE)", "Eigenaar (KBO)", "Owner (KBO)",
           "Numéro d'entreprise du propriétaire de l'information (art. 11, 2°).",
           "Ondernemingsnummer van de eigenaar van de informatie (art. 11, 2°).",
           "Enterprise number of the owner of the information (Art. 11, 2°).", datatype=KBO,
           property=DCT + "rightsHolder", value_url=BASE + "public-body/{owner}"),
        col("manager", "Gestionnaire (BCE)", "Beheerder (KBO)", "Manager (KBO)",
           "Numéro d'entreprise de l'organisme chargé de la gestion et de la diffusion "
           "(art. 11, 2°).",
           "Ondernemingsnummer van de instantie belast met beheer en verspreiding (art. 11, 2°).",
           "Enterprise number of the body managing and disseminating it (Art. 11, 2°).",
           datatype=KBO, property=DCT + "publisher", value_url=BASE + "public-body/{manager}"),
        col("format", "Format", "Formaat", "Format",
           "Format du fichier diffusé (code de la table européenne : CSV, XLSX, GEOJSON…).",
           "Formaat van het verspreide bestand (code van de Europese tabel).",
           "Format of the file disseminated (EU file-type code).", required=True,
           property=DCT + "format", about_url=DISTRIBUTION,
           value_url="http://publications.europa.eu/resource/authority/file-type/{format}"),
        col("download_url", "Adresse de téléchargement", "Downloadadres", "Download URL",
           "Adresse du fichier.", "Adres van het bestand.", "Address of the file.",
           datatype="anyURI", property=DCAT + "downloadURL", about_url=DISTRIBUTION,
           value_url="{+download_url}"),
        col("hvd_category", "Catégorie HVD", "HVD-categorie", "HVD category",
           "Catégorie de données de forte valeur (règlement 2023/138), s'il y a lieu.",
           "Categorie hoogwaardige gegevens (verordening 2023/138), indien van toepassing.",
           "High-value dataset category (Regulation 2023/138), if any.",
           property=DCATAP + "hvdCategory", value_url="http://data.europa.eu/bna/{hvd_category}"),
        col("personal_data", "Données personnelles", "Persoonsgegevens", "Personal data",
           "L'information contient-elle des données à caractère personnel ? (oui/non)",
           "Bevat de informatie persoonsgegevens? (oui/non)",
           "Does the information contain personal data? (oui/non)", datatype=YES_NO,
           required=True, property=PSI + "containsPersonalData"),
        col("anonymisation", "Technique d'anonymisation", "Anonimiseringstechniek",
           "Anonymisation technique",
           "Technique appliquée avant diffusion (pseudonymisation, suppression…).",
           "Techniek toegepast voor verspreiding.", "Technique applied before dissemination.",
           property=PSI + "anonymisationTechnique",
           value_url="https://w3id.org/psikg/code/anonymisation-technique/{anonymisation}"),
        col("anonymised", "Anonymisée", "Geanonimiseerd", "Anonymised",
           "Les données personnelles ont-elles été anonymisées ? (oui/non)",
           "Zijn de persoonsgegevens geanonimiseerd? (oui/non)",
           "Has the personal data been anonymised? (oui/non)", datatype=YES_NO,
           property=PSI + "anonymised"),
        col("dynamic", "Données dynamiques", "Dynamische gegevens", "Dynamic data",
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
        col("identifier", "Identifiant", "Kenmerk", "Identifier", "Identifiant de l'accord.",
           "Kenmerk van de regeling.", "Identifier of the arrangement.", required=True,
           datatype={"base": "string", "format": "[a-z0-9-]+"}, property=DCT + "identifier"),
        col("kind", "Type (psi:)", "Soort (psi:)", "Kind (psi:)",
           "Classe de l'accord : Exclusivity, CulturalDigitisationExclusivity, "
           "RestrictiveArrangement ou LegacyExclusiveContract.",
           "Klasse van de regeling (ontologie psi:).", "Class of the arrangement (psi: ontology).",
           required=True, property=RDF_TYPE, value_url=PSI + "{kind}",
           datatype={"base": "string", "format": "Exclusivity|CulturalDigitisationExclusivity"
                     "|RestrictiveArrangement|LegacyExclusiveContract"}),
        col("title", "Intitulé", "Titel", "Title", "Intitulé de l'accord.",
           "Titel van de regeling.", "Title of the arrangement.", required=True, lang="fr",
           property=DCT + "title"),
        col("grantor", "Organisme (BCE)", "Instantie (KBO)", "Granting body (KBO)",
           "Numéro d'entreprise de l'organisme public qui accorde l'exclusivité.",
           "Ondernemingsnummer van de overheidsinstantie die de exclusiviteit verleent.",
           "Enterprise number of the public body granting it.", datatype=KBO, required=True,
           property=PSI + "grantor", value_url=BASE + "public-body/{grantor}"),
        col("grantee", "Bénéficiaire (BCE)", "Begunstigde (KBO)", "Grantee (KBO)",
           "Numéro d'entreprise du bénéficiaire de l'exclusivité.",
           "Ondernemingsnummer van de begunstigde.", "Enterprise number of the grantee.",
           datatype=KBO, required=True, property=PSI + "grantee",
           value_url=BASE + "organisation/{grantee}"),
        col("dataset", "Information concernée", "Betrokken informatie", "Information concerned",
           "Identifiant du jeu de données concerné.", "Kenmerk van de betrokken dataset.",
           "Identifier of the dataset concerned.", required=True,
           property=PSI + "concernsInformation", value_url=BASE + "dataset/{dataset}"),
        col("justification", "Justification", "Rechtvaardiging", "Justification",
           "Pourquoi l'exclusivité est nécessaire à un service d'intérêt général.",
           "Waarom de exclusiviteit nodig is voor een dienst van algemeen belang.",
           "Why the exclusivity is needed for a service of general interest.", lang="fr",
           property=PSI + "justification"),
        col("page", "Page de publication", "Publicatiepagina", "Publication page",
           "Page web où l'accord est publié.", "Webpagina waar de regeling is gepubliceerd.",
           "Web page where the arrangement is published.", datatype="anyURI",
           property=PSI + "publicationPage", value_url="{+page}"),
        col("publication_date", "Date de publication", "Publicatiedatum", "Publication date",
           "Date de publication (dispositifs restrictifs : deux mois avant le début).",
           "Publicatiedatum (beperkende regelingen: twee maanden voor de aanvang).",
           "Publication date (restrictive arrangements: two months before the start).",
           datatype=DATE, property=PSI + "publicationDate"),
        col("start", "Début", "Begin", "Start", "Date de début.", "Begindatum.", "Start date.",
           datatype=DATE, required=True, property=SCHEMA + "startDate"),
        col("end", "Fin", "Einde", "End", "Date de fin ; 31/12/9999 : sans date de fin.",
           "Einddatum; 31/12/9999: zonder einddatum.", "End date; 31/12/9999: no end date.",
           datatype=DATE, null=OPEN_END, property=SCHEMA + "endDate"),
        col("last_review", "Dernier réexamen", "Laatste herziening", "Last review",
           "Date du dernier réexamen (au moins tous les trois ans).",
           "Datum van de laatste herziening (minstens om de drie jaar).",
           "Date of the last review (at least every three years).", datatype=DATE,
           property=PSI + "lastReview"),
        col("next_review", "Prochain réexamen", "Volgende herziening", "Next review",
           "Date du prochain réexamen.", "Datum van de volgende herziening.",
           "Date of the next review.", datatype=DATE, property=PSI + "nextReview"),
        col("free_copy", "Copie gratuite", "Gratis kopie", "Free copy",
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
        col("identifier", "Identifiant", "Kenmerk", "Identifier", "Identifiant de la redevance.",
           "Kenmerk van de vergoeding.", "Identifier of the charge.", required=True,
           datatype={"base": "string", "format": "[a-z0-9-]+"}, property=DCT + "identifier"),
        col("dataset", "Information concernée", "Betrokken informatie", "Information concerned",
           "Identifiant du jeu de données soumis à redevance.",
           "Kenmerk van de dataset waarvoor een vergoeding geldt.",
           "Identifier of the dataset the charge applies to.", required=True,
           property=PSI + "charge", about_url=BASE + "dataset/{dataset}", value_url=CHARGE),
        col("charging_body", "Organisme (BCE)", "Instantie (KBO)", "Charging body (KBO)",
           "Numéro d'entreprise de l'organisme qui réclame la redevance.",
           "Ondernemingsnummer van de instantie die de vergoeding vraagt.",
           "Enterprise number of the body charging.", datatype=KBO, required=True,
           property=PSI + "chargingBody", value_url=BASE + "public-body/{charging_body}"),
        col("listed", "Liste art. 18, § 2", "Lijst art. 18, § 2", "Art. 18 § 2 list",
           "Année de la liste publiée des organismes autorisés à réclamer une redevance.",
           "Jaar van de gepubliceerde lijst van instanties die een vergoeding mogen vragen.",
           "Year of the published list of bodies allowed to charge.", datatype="integer",
           required=True, property=PSI + "listedBody",
           about_url=BASE + "charging-body-list/{listed}",
           value_url=BASE + "public-body/{charging_body}"),
        col("amount", "Montant (€)", "Bedrag (€)", "Amount (€)", "Montant de la redevance.",
           "Bedrag van de vergoeding.", "Amount of the charge.", datatype=AMOUNT,
           required=True, property=PSI + "chargeAmount", summed=True),
        col("method", "Méthode de calcul", "Berekeningswijze", "Calculation method",
           "Comment le montant est calculé (art. 18, § 4).",
           "Hoe het bedrag wordt berekend (art. 18, § 4).",
           "How the amount is calculated (Art. 18, § 4).", required=True, lang="fr",
           property=PSI + "calculationMethod"),
        col("cost_basis", "Base de coût", "Kostengrondslag", "Cost basis",
           "Lettre de la base de coût de l'art. 18, § 3 (a à i).",
           "Letter van de kostengrondslag van art. 18, § 3 (a tot i).",
           "Letter of the cost basis of Art. 18, § 3 (a to i).", required=True,
           datatype={"base": "string", "format": "[a-i]"}, property=PSI + "costBasis",
           value_url="https://w3id.org/psikg/code/cost-basis/{cost_basis}"),
        col("cost_basis_2", "Seconde base de coût", "Tweede kostengrondslag", "Second cost basis",
           "Lettre d'une seconde base de coût, s'il y a lieu.",
           "Letter van een tweede kostengrondslag, indien van toepassing.",
           "Letter of a second cost basis, if any.",
           datatype={"base": "string", "format": "[a-i]"}, property=PSI + "costBasis",
           value_url="https://w3id.org/psikg/code/cost-basis/{cost_basis_2}"),
        col("return", "Rendement (%)", "Rendement (%)", "Return (%)",
           "Rendement raisonnable de l'investissement, en pour cent.",
           "Redelijk rendement op de investering, in procent.",
           "Reasonable return on investment, in percent.",
           datatype={"base": "decimal", "format": {"decimalChar": ","}},
           property=PSI + "reasonableReturn"),
        col("ecb_rate", "Taux BCE (%)", "ECB-rente (%)", "ECB rate (%)",
           "Taux fixe de la BCE de référence, en pour cent.",
           "Vaste referentierente van de ECB, in procent.",
           "ECB fixed reference rate, in percent.",
           datatype={"base": "decimal", "format": {"decimalChar": ","}},
           property=PSI + "ecbReferenceRate"),
        col("start", "Début", "Begin", "Start", "Date de début.", "Begindatum.", "Start date.",
           datatype=DATE, required=True, property=SCHEMA + "startDate"),
        col("end", "Fin", "Einde", "End", "Date de fin ; 31/12/9999 : sans date de fin.",
           "Einddatum; 31/12/9999: zonder einddatum.", "End date; 31/12/9999: no end date.",
           datatype=DATE, null=OPEN_END, property=SCHEMA + "endDate"),
    ],
    virtuals=[Virtual("charge_type", RDF_TYPE, PSI + "Charge"),
              Virtual("list_type", RDF_TYPE, PSI + "ChargingBodyList",
                      about_url=BASE + "charging-body-list/{listed}")],
)

REGISTRIES = [SUBSIDIES, CONTRACTS, INVENTORY, ARRANGEMENTS, CHARGES]
