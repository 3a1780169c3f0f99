"""The compliance dashboard on a store loaded as a portal loads it: a generated export of
bodies that meet, break and are not concerned by the decree's articles (loaded twice with
``psikg load``, the second export worse than the first), the sample dataset inventory
(``psikg load --on-error skip``: a real register with broken rows) and a body whose name is
markup. Read through the Flask test client over one engine (``tests/in_process.py``)."""

from __future__ import annotations

import csv
import io
import json
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from python_calamine import CalamineWorkbook

from graph.compliance.articles import ARTICLES
from graph.quality import band
from graph.settings import EXAMPLES_DIR
from tests.cli_runs import run_in_process
from tests.endpoint_server import live_server
from tests.endpoint_server import load
from tests.endpoint_server import psikg
from tests.fixtures.synthetic.compliance_bodies import body_iri
from tests.fixtures.synthetic.compliance_bodies import dataset_iri
from tests.fixtures.synthetic.compliance_bodies import kind_of
from tests.fixtures.synthetic.compliance_bodies import portal_export
from tests.in_process import AppClient
from tests.in_process import app_client
from tests.in_process import engine_on

BODIES = 9
BROKEN = {"2", "4", "6", "10", "11", "17"}
"""What a violating body of the export breaks, one violation each (the fixture's docstring)."""
SERVED = {"2", "4", "6", "10", "11", "17"}
"""What the export asks of a body that meets everything."""
MARKUP = "https://data.psikg.example/public-body/markup"
EXPORT_GRAPH = "https://data.psikg.example/graph/portal.ttl"
HAUTE_LESSE = "https://data.psikg.example/public-body/0208361443"
"""A publisher of the sample inventory."""


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppClient]:
    root = tmp_path_factory.mktemp("compliance")
    store, export = root / "store", root / "portal.ttl"
    export.write_text(portal_export(BODIES, fixed=True), encoding="utf-8")
    load(store, export)
    export.write_text(portal_export(BODIES), encoding="utf-8")
    load(store, export)
    psikg(store, "load", str(EXAMPLES_DIR / "inventory.csv"), "--on-error", "skip")
    psikg(store, "quality", "--graph", EXPORT_GRAPH)
    markup = root / "markup.ttl"
    markup.write_text(f'<{MARKUP}> a <https://w3id.org/psikg/ontology#PublicBody> ; '
                      '<http://xmlns.com/foaf/0.1/name> "<script>alert(1)</script> & Co" .\n',
                      encoding="utf-8")
    load(store, markup)
    with engine_on(store) as engine:
        yield app_client(engine, root / "run")


def bodies(client: AppClient, query: str = "") -> dict[str, dict[str, Any]]:
    answer = client.get("/compliance.json" + query)
    assert answer.status_code == 200, answer.text
    return {entry["iri"]: entry for entry in answer.json()["bodies"]}


def test_each_body_has_a_status_per_article(client: AppClient) -> None:
    found = bodies(client)
    for i in range(BODIES):
        articles = found[body_iri(i)]["articles"]
        assert list(articles) == list(ARTICLES)
        kind = kind_of(i)
        for number, article in articles.items():
            if kind == "violates" and number in BROKEN:
                # its body; its record and its dataset; Art. 17 their distributions too
                checked = {"2": 1, "17": 4}.get(number, 2)
                assert article == {"status": "violated", "violations": 1, "checked": checked}
            elif kind == "meets" and number in SERVED:
                assert (article["status"], article["violations"]) == ("met", 0)
            elif kind == "unconcerned" and number == "2":
                assert article == {"status": "met", "violations": 0, "checked": 1}
            else:
                assert article == {"status": "not-applicable", "violations": 0, "checked": 0}


def test_a_violation_no_body_can_be_named_for_is_counted_apart(client: AppClient) -> None:
    """The export's dataset published by a literal lacks its update date (Art. 11)."""
    assert client.get("/compliance.json").json()["unattributed"] == 1
    html = client.get("/compliance?lang=en").text
    assert '<p id="unattributed">Violations no body could be named for: 1</p>' in html


def test_a_register_load_counts_its_publishers(client: AppClient) -> None:
    """The inventory's rows that break a shape are skipped at load, so what is stored meets
    the shapes; its datasets are typed, titled and described, so the platform's catalog
    lists them (Art. 4); the register has no keyword column (Art. 6)."""
    inventory = bodies(client)[HAUTE_LESSE]
    assert inventory["validated"] is not None
    statuses = {number: a["status"] for number, a in inventory["articles"].items()}
    assert {n for n, s in statuses.items() if s == "met"} >= {"4", "10", "11", "17"}
    assert {n for n, s in statuses.items() if s == "violated"} == {"6"}
    assert statuses["22"] == "not-applicable"  # the store holds a platform


def test_each_body_shows_its_mqa_band_and_decree_score(client: AppClient) -> None:
    """The scores ``psikg quality`` stored: a body's MQA mean and band, and the mean decree
    score of its datasets (the share of the ten article shape files they pass: a violating
    dataset fails Art. 10, 11 and 17)."""
    found = bodies(client)
    good, bad = found[body_iri(0)]["quality"], found[body_iri(1)]["quality"]
    assert (good["decree"], bad["decree"]) == (100.0, 70.0)
    for quality in (good, bad):
        assert 0 < quality["score"] <= 405
        assert quality["band"] == band(quality["score"])
    assert good["score"] > bad["score"]
    assert found[body_iri(2)]["quality"] == {"score": None, "band": None, "decree": None}


def test_a_body_page_lists_its_open_violations_and_history(client: AppClient) -> None:
    iri = body_iri(1)
    page = client.get(f"/compliance.json?body={quote(iri, safe='')}").json()
    assert [entry["iri"] for entry in page["bodies"]] == [iri]
    assert sorted({f["article"] for f in page["findings"]}, key=int) == sorted(BROKEN, key=int)
    assert {f["focus"] for f in page["findings"]} == {iri, dataset_iri(1),
                                                      dataset_iri(1) + "-record"}
    assert all(f["message"] for f in page["findings"])
    history = page["history"]
    assert [point["trigger"] for point in history] == ["load", "load"]
    assert [point["violations"] for point in history] == [0, len(BROKEN)]
    assert history[0]["at"] < history[1]["at"]
    assert set(history[1]["articles"]) == BROKEN


def test_the_body_page_links_each_violation_to_its_node(client: AppClient) -> None:
    html = client.get(f"/compliance?body={quote(body_iri(1), safe='')}&lang=en").text
    assert 'href="/id/dataset/export-1?lang=en"' in html
    headings = [int(h.split('"')[1]) for h in html.split('<h3 data-article=')[1:]]
    assert headings == sorted(int(n) for n in BROKEN)
    assert 'id="trend"' in html and html.count("<circle") == 2
    assert "Open violations" in html


def test_the_json_twin_has_the_documented_shape(client: AppClient) -> None:
    answer = client.get("/compliance", headers={"Accept": "application/json"})
    page = answer.json()
    assert set(page) >= {"bodies", "articles"}
    entry = page["bodies"][0]
    assert set(entry) >= {"iri", "name", "articles", "quality", "validated"}
    assert set(entry["articles"]["11"]) == {"status", "violations", "checked"}
    html = client.get("/compliance", headers={"Accept": "text/html"})
    assert 'rel="alternate"; type="application/json"' in html.headers["Link"]


def test_labels_follow_the_language_and_markup_is_escaped(client: AppClient) -> None:
    words = {"fr": "Conformité au décret", "nl": "Naleving van het decreet",
             "de": "Einhaltung des Dekrets", "en": "Compliance with the decree"}
    for language, title in words.items():
        html = client.get(f"/compliance?lang={language}").text
        assert f"<h1>{title}</h1>" in html
    html = client.get("/compliance").text
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in html
    assert bodies(client)[MARKUP]["articles"]["2"]["status"] == "violated"


def test_csv_and_xlsx_hold_one_row_per_body(client: AppClient) -> None:
    found = bodies(client)
    answer = client.get("/compliance.csv?delimiter=semicolon")
    assert answer.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig")), delimiter=";"))
    assert {row["body"] for row in rows} == set(found)
    row = next(r for r in rows if r["body"] == body_iri(1))
    assert (row["art_11"], row["art_11_violations"], row["art_12"]) == ("violated", "1",
                                                                       "not-applicable")
    book = CalamineWorkbook.from_filelike(io.BytesIO(client.get("/compliance.xlsx?lang=nl")
                                                     .content))
    sheet = book.get_sheet_by_index(0).to_python()
    assert sheet[0][:3] == ["Overheidsinstantie", "Overheidsinstantie (naam)", "Art. 2"]
    assert len(sheet) == len(found) + 1
    by_iri = {line[0]: line for line in sheet[1:]}
    assert by_iri[body_iri(1)][sheet[0].index("Art. 11 (schendingen)")] == 1


@pytest.mark.parametrize(("query", "accept", "media_type"), [
    ("?format=csv", "*/*", "text/csv"),
    ("", "text/csv", "text/csv"),
    ("?format=xlsx", "text/html", "application/vnd.openxmlformats"),
    ("", "*/*", "text/html"),
])
def test_the_table_is_negotiated_too(client: AppClient, query: str, accept: str,
                                     media_type: str) -> None:
    answer = client.get("/compliance" + query, headers={"Accept": accept})
    assert answer.status_code == 200
    assert answer.headers["Content-Type"].startswith(media_type)


def test_a_body_page_downloads_its_violations(client: AppClient) -> None:
    answer = client.get(f"/compliance.csv?body={quote(body_iri(1), safe='')}")
    rows = list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert sorted(row["article"] for row in rows) == sorted(BROKEN)


@pytest.mark.parametrize(("query", "status", "kind"), [
    ("?body=not%20an%20iri", 400, "invalid-parameter"),
    ("?body=https://elsewhere.example/nobody", 404, "unknown-body"),
    ("?format=json&body=" + quote("https://x.example/a>b {", safe=""), 400,
     "invalid-parameter"),
])
def test_a_bad_body_is_the_clients_fault(client: AppClient, query: str, status: int,
                                         kind: str) -> None:
    answer = client.get("/compliance" + query, headers={"Accept": "application/json"})
    assert answer.status_code == status
    assert answer.json()["errors"][0]["type"] == kind


def test_an_unknown_extension_names_the_known_ones(client: AppClient) -> None:
    answer = client.get("/compliance.pdf", headers={"Accept": "application/json"})
    assert answer.status_code == 400
    assert ".csv" in answer.json()["error"]


def test_a_store_without_records_lists_its_bodies_unvalidated(tmp_path: Path) -> None:
    from graph.canned.run import StoreExecutor
    from graph.compliance.view import overview
    from graph.store import Store

    with Store(tmp_path / "store") as store:
        store.load_files([EXAMPLES_DIR / "platform.ttl"])
        page = overview(StoreExecutor(store), store.meta_graph, store.base_iri, "fr")
    assert len(page["bodies"]) == 5
    assert all(entry["validated"] is None for entry in page["bodies"])
    assert {a["status"] for entry in page["bodies"] for a in entry["articles"].values()} == {
        "not-applicable"}


def test_the_readme_example_runs(tmp_path: Path) -> None:
    """``psikg serve --get '/compliance.json?lang=en'`` as the README writes it, on the sample
    platform loaded (and so validated) with ``psikg load``."""
    import json
    import re
    import shlex

    from tests.cli_runs import run_in_process

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    line = re.search(r"^psikg serve --get '/compliance[^#\n]*", readme, re.MULTILINE)
    assert line is not None
    store = tmp_path / "store"
    load(store, EXAMPLES_DIR / "platform.ttl")
    result = run_in_process(["--store", str(store), *shlex.split(line.group(0))[1:]])
    assert result.returncode == 0, result.stderr
    page = json.loads(result.stdout)
    assert len(page["bodies"]) == 5
    assert all(entry["validated"] for entry in page["bodies"])
    assert all(entry["articles"]["2"]["status"] == "met" for entry in page["bodies"])


def test_each_harvest_keeps_its_validation(tmp_path: Path) -> None:
    """The export harvested as a portal's DCAT file, mended then broken: each harvest is a
    point of the body's history, read on the embedded store."""
    from graph.canned.run import StoreExecutor
    from graph.compliance.view import body_view
    from graph.store import Store
    from loaders.harvest.config import SourceSpec
    from loaders.harvest.fetch import HarvestPolicy
    from loaders.harvest.run import harvest

    export = tmp_path / "portal.ttl"
    with Store(tmp_path / "store") as store:
        for fixed in (True, False):
            export.write_text(portal_export(3, fixed=fixed), encoding="utf-8")
            report = harvest(store, SourceSpec("portal", str(export)), HarvestPolicy())
            assert (report.status, report.warnings) == ("harvested", [])
        page = body_view(StoreExecutor(store), store.meta_graph, store.base_iri, "en",
                         body_iri(1))
    assert [(p["trigger"], p["violations"]) for p in page["history"]] == [
        ("harvest", 0), ("harvest", len(BROKEN))]
    statuses = page["bodies"][0]["articles"]
    assert {n for n, a in statuses.items() if a["status"] == "violated"} == BROKEN


def test_a_dropped_graph_leaves_the_statuses_and_stays_in_the_history(tmp_path: Path) -> None:
    from graph.canned.run import StoreExecutor
    from graph.compliance.view import body_view
    from graph.store import Store
    from graph.validation.graphs import validate_graph

    export = tmp_path / "portal.ttl"
    export.write_text(portal_export(3), encoding="utf-8")
    with Store(tmp_path / "store") as store:
        (graph,) = store.load_files([export])[0].graphs
        validate_graph(store, graph)
        store.drop_graph(graph)
        page = body_view(StoreExecutor(store), store.meta_graph, store.base_iri, "en",
                         body_iri(1))
    assert [(p["trigger"], p["violations"]) for p in page["history"]] == [
        ("validate", len(BROKEN))]
    assert {a["status"] for a in page["bodies"][0]["articles"].values()} == {"not-applicable"}
    assert page["findings"] == []


def test_a_summary_travels_to_a_server_with_its_record(tmp_path: Path) -> None:
    """What ``psikg --server … load`` sends with ``PUT /loads/validation``
    (:meth:`ValidationSummary.to_json`) reads back whole (``from_json``)."""
    import json

    from graph.compliance.tally import compliance_record
    from graph.provenance import ValidationSummary
    from graph.provenance import now
    from graph.store import Store
    from graph.validation.graphs import validate_in

    export = tmp_path / "portal.ttl"
    export.write_text(portal_export(3), encoding="utf-8")
    with Store(tmp_path / "store") as store:
        (graph,) = store.load_files([export])[0].graphs
        report = validate_in(store, graph)
        record = compliance_record(store, graph, report, "load")
    summary = ValidationSummary(report.conforms, len(report.violations), len(report.warnings),
                                now(), record)
    sent = json.loads(json.dumps(summary.to_json()))
    assert ValidationSummary.from_json(sent) == summary
    assert len(record.findings) == len(BROKEN) + 1  # one nobody can be named for
    with pytest.raises(ValueError, match="unknown trigger"):
        ValidationSummary.from_json({**sent, "record": {**sent["record"], "trigger": "x"}})


def test_loads_through_a_running_server_keep_their_history(tmp_path: Path) -> None:
    """``psikg --server … load`` sends its validation with its record per body and article;
    the server keeps the record, as an offline load does."""
    token = tmp_path / "token"
    token.write_text("a-very-long-update-token-0123456789\n", encoding="utf-8")
    export = tmp_path / "portal.ttl"
    with live_server(tmp_path / "store", "--update-token-file", str(token)) as url:
        for fixed in (True, False):
            export.write_text(portal_export(3, fixed=fixed), encoding="utf-8")
            done = run_in_process(["--server", url, "--token-file", str(token), "load",
                                   str(export)])
            assert done.returncode == 0, done.stderr
        body = quote(body_iri(1), safe="")
        with urllib.request.urlopen(f"{url}/compliance.json?body={body}") as answer:
            page = json.loads(answer.read())
    assert [(run["trigger"], run["violations"]) for run in page["history"]] == [
        ("load", 0), ("load", 6)]
    assert page["bodies"][0]["articles"]["11"]["status"] == "violated"
