"""The names csv2rdf writes, and the CSVW context's prefixes and terms.

The prefixes are those of the CSVW namespace document's JSON-LD context
(``http://www.w3.org/ns/csvw``, 2015): metadata may write ``dc:title`` or
``schema:name`` anywhere a property, type or URL template result is expected.
"""

from __future__ import annotations

from graph.namespaces import CSVW
from graph.namespaces import DCAT
from graph.namespaces import DCT
from graph.namespaces import DQV
from graph.namespaces import FOAF
from graph.namespaces import OA
from graph.namespaces import ORG
from graph.namespaces import OWL
from graph.namespaces import PROV
from graph.namespaces import QB
from graph.namespaces import RDF
from graph.namespaces import RDFS
from graph.namespaces import SCHEMA_HTTP
from graph.namespaces import SD
from graph.namespaces import SKOS
from graph.namespaces import VCARD
from graph.namespaces import VOID
from graph.namespaces import XSD

RDF_TYPE = RDF + "type"
RDF_FIRST = RDF + "first"
RDF_REST = RDF + "rest"
RDF_NIL = RDF + "nil"
RDF_LANG_STRING = RDF + "langString"

PREFIXES: dict[str, str] = {
    "as": "https://www.w3.org/ns/activitystreams#",
    "cc": "http://creativecommons.org/ns#",
    "csvw": CSVW,
    "ctag": "http://commontag.org/ns#",
    "dc": DCT,
    "dc11": "http://purl.org/dc/elements/1.1/",
    "dcat": DCAT,
    "dcterms": DCT,
    "dctypes": "http://purl.org/dc/dcmitype/",
    "dqv": DQV,
    "duv": "https://www.w3.org/TR/vocab-duv#",
    "foaf": FOAF,
    "gr": "http://purl.org/goodrelations/v1#",
    "grddl": "http://www.w3.org/2003/g/data-view#",
    "ical": "http://www.w3.org/2002/12/cal/icaltzd#",
    "ldp": "http://www.w3.org/ns/ldp#",
    "ma": "http://www.w3.org/ns/ma-ont#",
    "oa": OA,
    "og": "http://ogp.me/ns#",
    "org": ORG,
    "owl": OWL,
    "prov": PROV,
    "qb": QB,
    "rdf": RDF,
    "rdfa": "http://www.w3.org/ns/rdfa#",
    "rdfs": RDFS,
    "rev": "http://purl.org/stuff/rev#",
    "rif": "http://www.w3.org/2007/rif#",
    "rr": "http://www.w3.org/ns/r2rml#",
    "schema": SCHEMA_HTTP,
    "sd": SD,
    "sioc": "http://rdfs.org/sioc/ns#",
    "skos": SKOS,
    "skosxl": "http://www.w3.org/2008/05/skos-xl#",
    "v": "http://rdf.data-vocabulary.org/#",
    "vcard": VCARD,
    "void": VOID,
    "wdr": "http://www.w3.org/2007/05/powder#",
    "wrds": "http://www.w3.org/2007/05/powder-s#",
    "xhv": "http://www.w3.org/1999/xhtml/vocab#",
    "xsd": XSD,
}

TERMS: dict[str, str] = {
    "describedby": PREFIXES["wrds"] + "describedby",
    "license": PREFIXES["xhv"] + "license",
    "role": PREFIXES["xhv"] + "role",
}
"""Context terms that are not prefixes and not CSVW vocabulary."""

CSVW_TERMS = frozenset({
    "Cell", "Column", "Datatype", "Dialect", "Direction", "ForeignKey", "NumericFormat", "Row",
    "Schema", "Table", "TableGroup", "TableReference", "Transformation", "JSON", "uriTemplate",
    "aboutUrl", "base", "column", "columnReference", "commentPrefix", "datatype", "decimalChar",
    "default", "delimiter", "describes", "dialect", "doubleQuote", "encoding", "foreignKey",
    "format", "groupChar", "header", "headerRowCount", "lang", "length", "lineTerminators",
    "maxExclusive", "maxInclusive", "maxLength", "minExclusive", "minInclusive", "minLength",
    "name", "note", "null", "ordered", "pattern", "primaryKey", "propertyUrl", "quoteChar",
    "reference", "referencedRow", "required", "resource", "row", "rowTitle", "rownum",
    "schemaReference", "scriptFormat", "separator", "skipBlankRows", "skipColumns",
    "skipInitialSpace", "skipRows", "source", "suppressOutput", "table", "tableDirection",
    "tableSchema", "targetFormat", "textDirection", "title", "transformations", "trim", "url",
    "valueUrl", "virtual",
})


def expand(name: str) -> str | None:
    """The absolute IRI of a prefixed name or context term, or ``None`` if it is neither.

    >>> expand("dc:title"), expand("Row"), expand("nope")
    ('http://purl.org/dc/terms/title', 'http://www.w3.org/ns/csvw#Row', None)
    """
    if name in TERMS:
        return TERMS[name]
    if name in CSVW_TERMS:
        return CSVW + name
    prefix, colon, local = name.partition(":")
    if colon and prefix in PREFIXES and not local.startswith("//"):
        return PREFIXES[prefix] + local
    return None
