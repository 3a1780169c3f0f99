"""The ``dcat-ap``, ``hvd`` and ``all`` profiles of ``/validate`` on SEMIC's own shapes
(``../shared/conformance/dcat-ap``, laid out as ``make dcat-ap-shapes`` lays them out), read
the outside way: the fixtures of ``tests/test_validate_service.py`` and data.gov.be's real
exports (``../shared/realdata/dcat``), each validation's time printed, not asserted.
``make conformance`` runs them; a missing shared folder fails them, never skips them."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conformance import shared_dir
from tests.in_process import AppClient
from tests.test_validate_service import CONFORMING
from tests.test_validate_service import EX
from tests.test_validate_service import VIOLATIONS
from tests.test_validate_service import _stop_children  # noqa: F401 - a fixture
from tests.test_validate_service import client
from tests.test_validate_service import post

pytestmark = pytest.mark.conformance
FOAF_AGENT = "http://xmlns.com/foaf/0.1/Agent"


def semic_folder() -> Path:
    folder = shared_dir() / "conformance" / "dcat-ap"
    if not (folder / "3.0.1" / "shacl" / "dcat-ap-SHACL.ttl").is_file():
        pytest.fail(f"{folder} holds no SEMIC shapes (set PSIKG_SHARED to the shared folder)")
    return folder


@pytest.fixture(scope="module")
def semic() -> Iterator[AppClient]:
    yield client(dcat_ap_shapes=semic_folder(), validate_max_mb=16.0,
                 validate_timeout_s=600.0)


def test_the_conforming_catalog_passes_every_profile(semic: AppClient) -> None:
    report = post(semic, "/validate?profile=all", CONFORMING.read_bytes()).json()
    assert report["results"] == []
    assert report["conforms"] is True


def test_a_publisher_typed_only_by_psikg_fails_dcat_ap(semic: AppClient) -> None:
    """An outside validator does not read psi.ttl: a ``psi:PublicBody`` is no ``foaf:Agent``."""
    report = post(semic, "/validate?profile=dcat-ap&lang=en", VIOLATIONS.read_bytes()).json()
    assert report["conforms"] is False
    publishers = {(r["focusNode"], r["value"]) for r in report["results"]
                  if r["path"] == "http://purl.org/dc/terms/publisher"}
    assert publishers == {(EX + "catalog", EX + "commune"), (EX + "dataset-budget", EX + "commune")}
    assert all("foaf:Agent" in r["message"] for r in report["results"]
               if r["path"] == "http://purl.org/dc/terms/publisher")
    assert any(r["focusNode"] == EX + "dataset-budget" and r["path"].endswith("/title")
               for r in report["results"])


@pytest.mark.parametrize("name", ["datagovbe_gent.ttl", "datagovbe_statbelpubs.ttl"])
def test_real_portal_exports(semic: AppClient, name: str) -> None:
    path = shared_dir() / "realdata" / "dcat" / name
    if not path.is_file():
        pytest.fail(f"{path} not found (set PSIKG_SHARED to the shared folder)")
    for profile in ("decree", "dcat-ap", "hvd"):
        started = time.perf_counter()
        answer = post(semic, f"/validate?profile={profile}", path.read_bytes())
        elapsed = time.perf_counter() - started
        assert answer.status_code == 200, answer.text
        report = answer.json()
        print(f"{name} {profile}: {report['violations']} violations, "
              f"{report['warnings']} warnings in {elapsed:.1f} s")
        assert report["violations"] == sum(r["severity"] == "Violation"
                                           for r in report["results"])
        if profile == "dcat-ap":
            # data.gov.be's vocabulary terms are untyped: the range checks fail, as the
            # shared conformance notes say of the EU authority tables.
            assert report["conforms"] is False
