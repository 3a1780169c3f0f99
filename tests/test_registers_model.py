"""The register models (``ontology/registers``): what they claim the canned queries read is
what the text of ``queries/*.rq`` reads, both ways, and a bad model file is named by line.

The query text is read here, independently of the models: every IRI and prefixed name of a
query (its SPARQL and its ``plain`` header query), and whether the query needs it (outside
``OPTIONAL``, ``EXISTS`` and ``|`` alternatives) or only reads it when it is there.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from graph.canned.header import split
from graph.registers import UnknownRegister
from graph.registers import get_register
from graph.registers import load_registers
from graph.registers import reads_of_class
from graph.registers.loading import RDF_TYPE
from graph.registers.loading import RegisterError
from graph.registers.loading import read_register
from graph.registers.model import Reads
from graph.registers.model import Register
from graph.settings import QUERIES_DIR
from graph.settings import REGISTERS_DIR
from graph.sparql_text import blank

SCHEMA = "https://schema.org/"
DCT = "http://purl.org/dc/terms/"
OBEU = "http://data.openbudgets.eu/ontology/dsd/dimension/"

_PREFIX = re.compile(r"PREFIX\s+([A-Za-z][\w-]*)?:\s*<([^>]*)>", re.IGNORECASE)
_TERM = r"(?:<[^<>\s]*>|(?<![?$\w])[A-Za-z][\w-]*:[\w-]*(?:\.[\w-]+)*)"
_PATH = re.compile(rf"\^?{_TERM}[*+?]?(?:\s*[/|]\s*\^?{_TERM}[*+?]?)+")
_TOKEN = re.compile(_TERM)
_OPENS_OPTIONAL = re.compile(r"(?:OPTIONAL|EXISTS)\s*$", re.IGNORECASE)


def iris_read(sparql: str) -> dict[str, bool]:
    """IRI → whether the query needs it, for one SPARQL text."""
    prefixes = {p or "": iri for p, iri in _PREFIX.findall(sparql)}
    code = blank(sparql, keep_iris=True)
    code = _PREFIX.sub(lambda m: " " * len(m.group(0)), code)
    optional_at = _optional_spans(code)
    alternatives = [m.span() for m in _PATH.finditer(code) if "|" in m.group(0)]
    found: dict[str, bool] = {}
    for match in _TOKEN.finditer(code):
        token = match.group(0)
        if token.startswith("<"):
            iri = token[1:-1]
        else:
            prefix, local = token.split(":", 1)
            if prefix not in prefixes:
                continue
            iri = prefixes[prefix] + local
        optional = optional_at[match.start()] or any(
            start <= match.start() < end for start, end in alternatives)
        found[iri] = found.get(iri, False) or not optional
    return found


def _optional_spans(code: str) -> list[bool]:
    """For each offset: inside an ``OPTIONAL { }`` or ``EXISTS { }`` group?"""
    inside = [False] * (len(code) + 1)
    stack: list[bool] = []
    for index, char in enumerate(code):
        if char == "{":
            stack.append(bool(_OPENS_OPTIONAL.search(code[:index])))
        elif char == "}" and stack:
            stack.pop()
        inside[index] = any(stack)
    return inside


def query_reads() -> dict[str, dict[str, bool]]:
    """Query name → IRI → needed, over the query's SPARQL and its ``plain`` query."""
    reads = {}
    for path in sorted(QUERIES_DIR.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        header, count = split(text)
        texts = ["\n".join(text.splitlines()[count:])]
        plain = (yaml.safe_load("\n".join(header)) or {}).get("plain")
        if plain:
            texts.append(plain)
        merged: dict[str, bool] = {}
        for sparql in texts:
            for iri, needed in iris_read(sparql).items():
                merged[iri] = merged.get(iri, False) or needed
        reads[path.stem] = merged
    return reads


def claims(register: Register) -> list[tuple[str, tuple[str, ...], Reads]]:
    """(what, the IRIs it stands for, its reads) of every node, field and link."""
    out: list[tuple[str, tuple[str, ...], Reads]] = []
    for node in register.nodes.values():
        if node.classes and node.typed_by is None:
            out.append((f"node {node.name}", node.classes, node.reads))
    for item in register.fields.values():
        if item.property == RDF_TYPE:
            node = register.nodes[item.node]
            out.append((f"field {item.name}", node.classes, item.reads))
        elif item.property is not None:
            out.append((f"field {item.name}", (item.property,), item.reads))
    for link in register.links:
        out.append((f"link {link.source} {link.property}", (link.property,), link.reads))
    return out


def test_the_five_registers_load() -> None:
    assert sorted(load_registers()) == ["charges", "contracts", "exclusive-arrangements",
                                        "inventory", "subsidies"]


@pytest.mark.parametrize("name", ["charges", "contracts", "exclusive-arrangements",
                                  "inventory", "subsidies"])
def test_every_claimed_read_is_in_the_query_text(name: str) -> None:
    reads = query_reads()
    for what, iris, claimed in claims(get_register(name)):
        for query in claimed.queries:
            assert query in reads, f"{name} {what}: no query {query!r}"
            mentioned = {iri: reads[query][iri] for iri in iris if iri in reads[query]}
            assert mentioned, f"{name} {what}: {query} does not read {iris}"
            needed = any(mentioned.values())
            assert needed == (query in claimed.needed_by), (
                f"{name} {what}: {query} {'needs' if needed else 'only optionally reads'} it")


@pytest.mark.parametrize("name", ["charges", "contracts", "exclusive-arrangements",
                                  "inventory", "subsidies"])
def test_every_read_of_a_query_about_a_register_is_claimed(name: str) -> None:
    register = get_register(name)
    reads = query_reads()
    elements = claims(register)
    about = {q for _, _, claimed in elements for q in claimed.queries}
    about |= {q for q, iris in reads.items() if set(register.classes()) & set(iris)}
    assert about, f"no canned query reads {name}"
    for query in sorted(about):
        for what, iris, claimed in elements:
            if set(iris) & set(reads[query]):
                assert query in claimed.queries, f"{name} {what}: {query} reads it"


def test_the_query_reader_tells_needed_from_optional() -> None:
    found = iris_read("PREFIX s: <http://s/>\nSELECT * { ?x a s:A ; s:p|s:q ?v "
                      "OPTIONAL { ?x s:r ?r } FILTER NOT EXISTS { ?x s:t ?t } "
                      "BIND(EXISTS { ?x s:u/s:w ?u } AS ?b) ?x s:y/s:z ?y }")
    assert found == {"http://s/A": True, "http://s/p": False, "http://s/q": False,
                     "http://s/r": False, "http://s/t": False, "http://s/u": False,
                     "http://s/w": False, "http://s/y": True, "http://s/z": True}


def test_reads_of_class_say_which_query_needs_which_property() -> None:
    grants = reads_of_class(SCHEMA + "MonetaryGrant", needed_only=True)
    by_query = {q: {r.property for r in found} for q, found in grants.items()}
    assert DCT + "spatial" in by_query["subsidies-by-municipality"]
    assert SCHEMA + "funder" not in by_query["subsidies-by-municipality"]
    assert SCHEMA + "fundedItem" in by_query["top-beneficiaries"]
    assert all(OBEU + "fiscalYear" in props for props in by_query.values())
    payments = reads_of_class(SCHEMA + "PayAction")
    assert {r.property for r in payments["granted-vs-paid"]} == {SCHEMA + "price",
                                                                 SCHEMA + "object"}
    assert not any(r.needed for found in payments.values() for r in found)
    assert reads_of_class("http://example.org/Nothing") == {}


def test_unknown_register_is_a_usage_error_naming_the_known_ones() -> None:
    with pytest.raises(UnknownRegister) as caught:
        get_register("grants")
    assert caught.value.exit_code == 2
    assert "'grants'" in caught.value.message and "subsidies" in caught.value.message


def _model(tmp_path: Path, edit: str, replacement: str) -> Path:
    text = (REGISTERS_DIR / "charges.yaml").read_text(encoding="utf-8")
    assert edit in text
    path = tmp_path / "charges.yaml"
    path.write_text(text.replace(edit, replacement, 1), encoding="utf-8")
    return path


def _line_of(path: Path, pattern: str) -> int:
    """The line where the last line of ``pattern``'s first match is."""
    text = path.read_text(encoding="utf-8")
    match = re.search(pattern, text, re.MULTILINE)
    assert match is not None, pattern
    return text.count("\n", 0, match.end()) + 1


@pytest.mark.parametrize(("edit", "replacement", "at", "message"), [
    ("    property: psi:chargeAmount\n", "    property: psx:chargeAmount\n",
     "psx:chargeAmount", "unknown prefix 'psx'"),
    ("    iri: charge/{identifier}\n", "    iri: charge/{identfier}\n",
     "charge/[{]identfier[}]", "{identfier} is neither a field nor an identifier"),
    ("    datatype: gYear\n", "    datatype: gYear\n    colour: blue\n",
     "colour: blue", "unknown key 'colour'"),
    ("      de: [Betrag, Höhe des Entgelts, Tarif]\n",
     "      de: [Betrag, Höhe des Entgelts, Tarif, Méthode de calcul]\n",
     r"^  method:\n(?:.*\n)*?    titles:", "reads like one of 'amount'"),
    ("    title: {fr: Redevance, nl: Vergoeding, de: Entgelt, en: Charge}\n",
     "    title: {fr: Redevance, nl: Vergoeding, en: Charge}\n",
     "title: {fr: Redevance", "lacks 'de'"),
    ("      fr: [Début, Date de début, Du]\n", "      fr: [Début, Date de début, Du\n",
     r"^      nl: \[Begin", "not valid YAML"),
    # libyaml marks a bracket left open on the last line one line past the end of the file
    ("      en: End date; 31/12/9999 or empty for no end date.\n",
     "      en: [End date; 31/12/9999 or empty for no end date.\n",
     r"^      en: \[End date", "not valid YAML"),
])
def test_bad_model_is_named_by_file_and_line(tmp_path: Path, edit: str, replacement: str,
                                             at: str, message: str) -> None:
    path = _model(tmp_path, edit, replacement)
    with pytest.raises(RegisterError) as caught:
        read_register(path)
    assert message in caught.value.message
    assert caught.value.file == str(path)
    expected = _line_of(path, at)
    assert caught.value.line == expected
    assert caught.value.one_line().startswith(f"{path}:{expected}")


def test_every_property_a_decree_shape_checks_is_in_the_model() -> None:
    """A register's model holds what the decree shapes check on its classes (Art. 18 and 20
    shapes target the charges' and arrangements' classes)."""
    from rdflib import RDF
    from rdflib import Graph
    from rdflib import Namespace
    from rdflib import URIRef
    from rdflib.collection import Collection
    from rdflib.term import Node

    from graph.settings import shape_files

    sh = Namespace("http://www.w3.org/ns/shacl#")
    shapes = Graph()
    for path in shape_files():
        shapes.parse(path)

    def first_steps(path: Node | None) -> set[str]:
        if path is None:
            return set()
        if isinstance(path, URIRef):
            return {str(path)}
        alternatives = shapes.value(path, sh.alternativePath)
        if alternatives is not None:
            return {s for m in Collection(shapes, alternatives) for s in first_steps(m)}
        if shapes.value(path, RDF.first) is not None:
            return first_steps(next(iter(Collection(shapes, path))))
        return set()

    checked = 0
    for shape in set(shapes.subjects(sh.targetClass, None)):
        targets = {str(c) for c in shapes.objects(shape, sh.targetClass)}
        for register in load_registers().values():
            if not targets & set(register.classes()):
                continue
            written = {f.property for f in register.fields.values() if f.property} | {
                link.property for link in register.links}
            for constraint in shapes.objects(shape, sh.property):
                steps = first_steps(shapes.value(constraint, sh.path))
                assert steps & written, f"{register.name}: {shape} checks {steps}"
                checked += 1
    assert checked >= 8
