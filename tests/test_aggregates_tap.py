"""The tally's summary equals what the straightforward reading of the triples gives: the
algorithm the tally replaced, written here plainly over pyoxigraph's parser (every triple
read as RDF terms, one record per subject, each grant through the cross product of its
values). Same cells in the same order, so the aggregates' N-Triples are the same bytes, on
the sample registries and on random registries whose lines are shuffled, duplicated or
split away from their subject's run, fed in chunks cut anywhere; and equal sums on lines in
other layouts (tabs, escapes, comments, blank lines)."""

from __future__ import annotations

import random
from collections import Counter
from decimal import Decimal

import pyoxigraph as ox
import pytest

import loaders.registry  # noqa: F401 - registers psikg's formats for the conversion
from graph.budget.cube import summary_triples
from graph.budget.model import PROFILE_MIN_GRANTS
from graph.budget.model import Measures
from graph.budget.model import NotSummable
from graph.budget.model import Summary
from graph.budget.model import check_year
from graph.budget.summing import number_of
from graph.budget.tally import Tally
from graph.settings import EXAMPLES_DIR
from loaders.csvw.convert import csv2rdf
from tests.fixtures.synthetic.random_grants import tap_registry

S = "https://schema.org/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
FISCAL_YEAR = "http://data.openbudgets.eu/ontology/dsd/dimension/fiscalYear"
SPATIAL = "http://purl.org/dc/terms/spatial"
DEC = "http://www.w3.org/2001/XMLSchema#decimal"
INT = "http://www.w3.org/2001/XMLSchema#integer"
YEAR = "http://reference.data.gov.uk/id/year/"
SLOTS = {S + "amount": "amount", FISCAL_YEAR: "year", S + "funder": "body",
         SPATIAL: "place", S + "fundedItem": "beneficiary", S + "object": "grant",
         S + "price": "price"}
NAMES = {S + "name", "http://xmlns.com/foaf/0.1/name",
         "http://data.europa.eu/a4g/ontology#hasLegalName"}
MISSING = {S + "funder": "body", FISCAL_YEAR: "year", S + "amount": "amount",
           S + "fundedItem": "beneficiary", SPATIAL: "place"}
SAMPLES = ["subsidies", "charges", "contracts", "exclusive-arrangements", "inventory"]


def reference(text: bytes) -> Summary | None:
    """The aggregates as the replaced tally made them, from every triple as parsed; and the
    spellings of names, each line of the stream counted (the stream is a sequence of rows)."""
    records: dict[str, dict[str, list[str]]] = {}
    spellings: dict[str, dict[str, int]] = {}
    for triple in ox.parse(text, format=ox.RdfFormat.N_TRIPLES):
        predicate = triple.predicate.value
        if predicate in NAMES:
            if isinstance(triple.subject, ox.NamedNode) and isinstance(triple.object,
                                                                       ox.Literal):
                counts = spellings.setdefault(triple.subject.value, {})
                counts[triple.object.value] = counts.get(triple.object.value, 0) + 1
            continue
        if predicate == RDF_TYPE:
            if triple.object != ox.NamedNode(S + "MonetaryGrant"):
                continue
            slot = "grant type"
        elif predicate in SLOTS:
            slot = SLOTS[predicate]
        else:
            continue
        values = records.setdefault(str(triple.subject), {}).setdefault(slot, [])
        if str(triple.object) not in values:
            values.append(str(triple.object))
    try:
        summary = _cells(records)
    except NotSummable:
        return None
    summary.spellings = spellings
    return summary


def _number(text: str) -> tuple[int, bool]:
    return number_of(text.encode())


def _iri(text: str) -> str:
    if not (text.startswith("<") and text.endswith(">")):
        raise NotSummable(text)
    return text[1:-1]


def _cells(records: dict[str, dict[str, list[str]]]) -> Summary:
    paid: dict[str, list[tuple[int, bool]]] = {}
    for record in records.values():
        if "grant" in record and "price" in record:
            prices = list(dict.fromkeys(_number(price) for price in record["price"]))
            for grant in record["grant"]:
                paid.setdefault(grant, []).extend(prices)
    grants = [(subject, record) for subject, record in records.items()
              if "grant type" in record]
    counts = Counter(b for _, record in grants for b in record.get("beneficiary", []))
    large = {b for b, count in counts.items() if count > PROFILE_MIN_GRANTS}
    summary = Summary(grants=len(grants),
                      untyped=sum(1 for record in records.values()
                                  if "grant type" not in record and "amount" in record))
    for _, record in grants:
        for prop, slot in MISSING.items():
            if slot not in record:
                summary.missing[prop] = summary.missing.get(prop, 0) + 1
    for subject, record in grants:
        amounts = list(dict.fromkeys(_number(a) for a in record.get("amount", [])))
        if "year" not in record:
            continue
        years = [check_year(_iri(year) if year.startswith("<") else year)
                 for year in record["year"]]
        if not amounts:
            continue
        prices = paid.get(subject, [])
        times = len(prices) or 1
        total = sum(value for value, _ in amounts)
        add = Measures(grants=len(amounts) * times, granted=total * times,
                       paid=sum(value for value, _ in prices) * len(amounts), amount=total,
                       granted_decimal=any(d for _, d in amounts),
                       amount_decimal=any(d for _, d in amounts),
                       paid_decimal=any(d for _, d in prices))
        for table, slot in ((summary.body_year, "body"), (summary.municipality_year, "place"),
                            (summary.beneficiary_year, "beneficiary")):
            for value in record.get(slot, []):
                key = _iri(value)
                for year in years:
                    table.setdefault((key, year), Measures()).add(add)
                if slot == "beneficiary" and value in large:
                    for body in record.get("body", []):
                        for year in years:
                            summary.profile.setdefault((key, _iri(body), year),
                                                       Measures()).add(add)
    return summary


def tallied(text: bytes, cuts: list[int]) -> Summary | None:
    tally = Tally()
    start = 0
    for end in [*cuts, len(text)]:
        tally.feed(text[start:end])
        start = end
    return tally.summary()


def same(mine: Summary | None, theirs: Summary | None) -> None:
    assert mine is not None and theirs is not None
    assert mine == theirs
    for table in ("body_year", "municipality_year", "beneficiary_year", "profile"):
        assert list(getattr(mine, table).items()) == list(getattr(theirs, table).items())
    assert list(summary_triples(mine, "https://e.x/a", "https://e.x/g", "0")) == \
        list(summary_triples(theirs, "https://e.x/a", "https://e.x/g", "0"))


@pytest.mark.parametrize("mode", ["minimal", "standard"])
@pytest.mark.parametrize("name", SAMPLES)
def test_sample_registries_in_the_converters_chunks(name: str, mode: str) -> None:
    conversion = csv2rdf(EXAMPLES_DIR / f"{name}.csv",
                         metadata=EXAMPLES_DIR / f"{name}-metadata.json", mode=mode,  # type: ignore[arg-type]
                         strict=True)
    chunks = list(conversion.chunks())
    tally = Tally()
    for chunk in chunks:
        tally.feed(chunk)
    text = b"".join(chunks)
    mine, theirs = tally.summary(), reference(text)
    same(mine, theirs)
    assert (name == "subsidies") == (not mine.empty)  # type: ignore[union-attr]


def cut(rng: random.Random, text: bytes) -> list[int]:
    return sorted(rng.sample(range(1, len(text)), min(len(text) - 1, len(text) // 3000)))


@pytest.mark.parametrize("seed", range(6))
def test_random_registries_shuffled_duplicated_and_split(seed: int) -> None:
    rng = random.Random(seed)
    runs = tap_registry(rng, 1200)
    if seed % 3 == 1:  # some lines repeated, some a subject's lines far from its run
        for lines in rng.sample(runs, len(runs) // 10):
            lines.append(rng.choice(lines))
        moved = [lines.pop(rng.randrange(len(lines))) for lines in rng.sample(runs, 200)
                 if len(lines) > 1]
        for line in moved:
            rng.choice(runs).append(line)
    lines = [line for run in runs for line in run]
    if seed % 3 == 2:
        rng.shuffle(lines)
    text = ("\n".join(lines) + "\n").encode()
    theirs = reference(text)
    assert theirs is not None and theirs.profile  # beneficiary 0 has over 200 grants
    same(tallied(text, cut(rng, text)), theirs)
    same(tallied(text, []), theirs)


ODD = f"""<https://e.x/g1>\t<{RDF_TYPE}> <{S}MonetaryGrant> .
<https://e.x/g1> <{S}amount> "10.5"^^<{DEC}>.
<https://e.x/g1> <{S}amount>  "2"^^<{INT}> .
 <https://e.x/g1> <{FISCAL_YEAR}> <{YEAR}2024> .
<https://e.x/g1>  <{S}funder> <https://e.x/b1> .
<https://e.x/g2> <{RDF_TYPE}> <{S}MonetaryGrant> . # a grant .
<https://e.x/g2> <{S}amount> "3"^^<{INT}> .
<https://e.x/g2> <{FISCAL_YEAR}> <{YEAR}2023> .
<https://e.x/g2> <{S}funder> <https://e.x/b\\u0031> .

# a comment
<https://e.x/p1> <{S}object> <https://e.x/g2>.# paid .
<https://e.x/p1> <{S}price> "1.25"^^<{DEC}> .
<https://e.x/g3> <{RDF_TYPE}> <{S}MonetaryGrant> .
<https://e.x/g3> <{S}amount> "4"^^<{INT}> . # four .
<https://e.x/g3> <{FISCAL_YEAR}> <{YEAR}2023> .
<https://e.x/g3> <{S}description> "a \\"quoted\\" text" .
<https://e.x/g3> <{S}funder> <https://e.x/b2> .
<https://e.x/b2> <{S}name> "Bureau" . # a comment
<https://e.x/b2> <{S}name>	"Bureau" .
<https://e.x/b2> <{S}name> "Bur\\u0065au"@fr .
_:b3 <{S}name> "Blank" .
<https://e.x/b2> <{S}name> <https://e.x/not-a-spelling> .
"""


@pytest.mark.parametrize("chunk", [1, 13, 200, 1 << 20])
def test_lines_in_other_layouts_sum_alike(chunk: int) -> None:
    text = ODD.encode()
    theirs = reference(text)
    assert theirs is not None and theirs.body_year
    mine = tallied(text, list(range(chunk, len(text), chunk)))
    assert mine == theirs  # equal sums; lines read the long way may come later


@pytest.mark.parametrize("bad", ['"1e5"^^<DEC>', '"1.5"^^<INT>', '"3"', "<https://e.x/3>",
                                 '"123456789012345678901.5"^^<DEC>', '"1 000"^^<INT>'])
def test_amounts_sparql_would_not_sum_alike_build_nothing(bad: str) -> None:
    value = bad.replace("DEC", DEC).replace("INT", INT)
    text = ODD + f"<https://e.x/g3> <{S}amount> {value} .\n"
    assert reference(text.encode()) is None
    assert tallied(text.encode(), []) is None


def test_amounts_read_the_short_way_are_exact() -> None:
    amounts = ["0.1", "10.50", "10.5", "007.25", "99999999999999999999.999999999999999999",
               "1.000000000000000001", "+3.5", "-2.25", ".5", "5."]
    lines = [f"<https://e.x/g{i}> <{RDF_TYPE}> <{S}MonetaryGrant> .\n"
             f"<https://e.x/g{i}> <{FISCAL_YEAR}> <{YEAR}2024> .\n"
             f"<https://e.x/g{i}> <{S}funder> <https://e.x/b> .\n"
             f"<https://e.x/g{i}> <{S}amount> \"{amount}\"^^<{DEC}> .\n"
             for i, amount in enumerate(amounts)]
    text = "".join(lines).encode()
    mine = tallied(text, [])
    same(mine, reference(text))
    cell = mine.body_year["https://e.x/b", 2024]  # type: ignore[union-attr]
    assert cell.granted == sum(Decimal(amount) for amount in amounts) * 10 ** 18
