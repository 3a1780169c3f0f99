"""``make bench-engines``: psikg on the embedded store and on Virtuoso, side by side.

Generates the subsidies register of ``make bench-served-load`` (``--rows`` rows, about ten
triples each, ``tests/fixtures/synthetic/bench_table.py``) and starts Debian's Virtuoso on
loopback as the tests do (:mod:`tests.virtuoso_server`), with the buffers docs/engines.md
gives for millions of triples. Then, for each engine, medians of several runs:

- **load**: ``psikg load`` of the register as a user runs it (conversion, validation,
  budget aggregates, commit), in a child process, the engines taking turns; the first run
  writes a new graph, the others replace it;
- **canned budget queries**: those that read the precomputed aggregates, twice: as
  ``psikg queries`` runs them (:func:`graph.canned.run.run` on :class:`graph.store.Store`
  and on :class:`graph.remote.store.RemoteStore`, the aggregates' freshness asked each
  time), and as an analyst gets them from ``psikg serve`` on each engine
  (``/queries/NAME.csv``, freshness kept between writes), with whether both gave the
  same rows;
- **ad-hoc aggregates**: three GROUP BY queries a developer writes on the raw triples,
  through ``Store.query`` and ``RemoteStore.query``, with whether both gave the same numbers;
- **IRI lookups**: one subsidy's properties, a random one per request, through ``/sparql``
  of the same ``psikg serve`` on each engine, by wrk at ``--clients`` connections (p50, requests/s);
- **the whole command**: ``psikg queries NAME --format csv`` in a new process, as an analyst
  types it (interpreter start included);
- **against the source rows**: ``spending-by-body-year``'s grants and amounts per body and
  year from each engine, compared with the same sums computed from the CSV by the
  ``csv`` module and :class:`~decimal.Decimal`, not by psikg.

The ratio is embedded/Virtuoso: above 1, Virtuoso is faster. Prints the machine's load
average. All traffic stays on 127.0.0.1. Usage::

    python bench/engines.py [--rows 1000000] [--runs 3] [--repeat 5] [--duration-s 10]
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.endpoint import _ms  # noqa: E402 - run as a script
from bench.endpoint import free_port  # noqa: E402
from bench.endpoint import stop  # noqa: E402
from bench.endpoint import wait_for  # noqa: E402
from graph.canned.library import load_library  # noqa: E402
from graph.canned.run import StoreExecutor  # noqa: E402
from graph.canned.run import run  # noqa: E402
from graph.remote.store import RemoteStore  # noqa: E402
from graph.settings import QUERIES_DIR  # noqa: E402
from graph.store import Store  # noqa: E402
from tests.fixtures.synthetic.bench_table import BODIES  # noqa: E402
from tests.fixtures.synthetic.bench_table import generate  # noqa: E402
from tests.fixtures.synthetic.bench_table import metadata_for  # noqa: E402
from tests.virtuoso_server import LARGE_BUFFERS  # noqa: E402
from tests.virtuoso_server import start as start_virtuoso  # noqa: E402
from tests.virtuoso_server import stop as stop_virtuoso  # noqa: E402

KEY = "6b" * 32
SUBSIDY = "https://data.psikg.example/subsidy/"
BODY = f"https://data.psikg.example/public-body/{BODIES[0]}"
PREFIXES = ("PREFIX schema: <https://schema.org/> "
            "PREFIX obeu: <http://data.openbudgets.eu/ontology/dsd/dimension/> ")
AD_HOC = {
    "total amount per year": PREFIXES + (
        "SELECT ?year (SUM(?amount) AS ?total) WHERE { ?s a schema:MonetaryGrant ; "
        "obeu:fiscalYear ?year ; schema:amount ?amount } GROUP BY ?year ORDER BY ?year"),
    "top-10 beneficiaries": PREFIXES + (
        "SELECT ?beneficiary (SUM(?amount) AS ?total) WHERE { ?s schema:fundedItem "
        "?beneficiary ; schema:amount ?amount } GROUP BY ?beneficiary "
        "ORDER BY DESC(?total) ?beneficiary LIMIT 10"),
    "count, average per body, year": PREFIXES + (
        "SELECT ?body ?year (COUNT(?s) AS ?n) (AVG(?amount) AS ?average) WHERE { "
        "?s schema:funder ?body ; obeu:fiscalYear ?year ; schema:amount ?amount } "
        "GROUP BY ?body ?year ORDER BY ?body ?year"),
}
"""Written as a developer writes them on the raw triples: no precomputed aggregate."""


CANNED = [
    ("spending-by-body-year", {}), ("spending-by-body-year", {"year": ["2024"]}),
    ("spending-by-body-year", {"body": [BODY], "year": ["2023", "2025"]}),
    ("top-beneficiaries", {}), ("top-beneficiaries", {"from": ["2023"], "to": ["2024"]}),
    ("subsidies-by-municipality", {}), ("subsidies-by-municipality", {"year": ["2025"]}),
    ("year-over-year", {"year": ["2025"]}), ("granted-vs-paid", {}),
    ("granted-vs-paid", {"year": ["2024"]}),
]
"""The canned budget queries (those that read the precomputed aggregates) and values;
not ``beneficiary-profile``: the register keeps no enterprise number to look one up by."""


def median_of(call: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """The median seconds of ``repeat`` calls (one more first, unmeasured) and the last
    answer."""
    answer = call()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        answer = call()
        times.append(time.perf_counter() - started)
    return statistics.median(times), answer


def timed_load(table: Path, metadata: Path, engine: list[str], env: dict[str, str]) -> float:
    """Wall seconds of ``psikg ENGINE load TABLE --metadata METADATA``."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "psikg", *engine, "load", str(table),
                           "--metadata", str(metadata)], env=env, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True)
    if done.returncode:
        raise SystemExit(f"psikg load failed: {done.stderr[-2000:]}")
    return time.perf_counter() - started


def numbers(solutions: Any) -> list[tuple[str, ...]]:
    """Rows as comparable text: numbers by value (``1.50`` is ``1.5``), averages to 1e-6."""
    rows = []
    for solution in solutions:
        row = []
        for term in solution:
            value = getattr(term, "value", str(term))
            datatype = getattr(getattr(term, "datatype", None), "value", "")
            if datatype.endswith(("#decimal", "#integer", "#double", "#float")):
                value = str(Decimal(value).quantize(Decimal("0.000001")).normalize())
            row.append(value)
        rows.append(tuple(row))
    return rows


def _numbers_of(store: Store | RemoteStore, text: str) -> list[tuple[str, ...]]:
    return numbers(store.query(text))


def canned(embedded: Store, remote: RemoteStore, repeat: int) -> list[tuple[str, ...]]:
    """One line per canned query and values: medians on each engine, ratio, same rows."""
    library = load_library(QUERIES_DIR)
    return [side_by_side(name, _values_label(values), [
        partial(run, library[name], StoreExecutor(store), values) for store in (embedded, remote)],
        repeat, lambda result: result.rows,
        lambda result: "" if result.accelerated else " (plain)") for name, values in CANNED]


def ad_hoc(embedded: Store, remote: RemoteStore, repeat: int) -> list[tuple[str, ...]]:
    """One line per ad-hoc aggregate: medians on each engine, ratio, same numbers."""
    return [side_by_side(name, "", [partial(_numbers_of, store, text)
                                    for store in (embedded, remote)], repeat, lambda rows: rows)
            for name, text in AD_HOC.items()]


def side_by_side(name: str, values: str, calls: list[Callable[[], Any]], repeat: int,
                 rows_of: Callable[[Any], Any], note_of: Callable[[Any], str] = lambda _: ""
                 ) -> tuple[str, ...]:
    """One line of a table: the median ms of each engine's call (``note_of`` its answer
    beside it), the ratio, and whether ``rows_of`` the two answers agree. A call that fails
    is ``error N`` in its cell (:data:`ERRORS`)."""
    cells = [name, values]
    answers: list[Any] = []
    for call in calls:
        try:
            seconds, answer = median_of(call, repeat)
        except Exception as error:  # noqa: BLE001 - the bench reports every failure
            cells.append(_failed(error))
            answers.append(None)
            continue
        cells.append(f"{seconds * 1000:.1f}" + note_of(answer))
        answers.append(rows_of(answer))
    return (*cells, *_compared(cells, answers))


def _values_label(values: dict[str, list[str]]) -> str:
    return ",".join(f"{k}={'|'.join(v)}" for k, v in values.items())


ERRORS: list[str] = []
"""The failures met, printed under the tables (``error N`` in a cell)."""


def _failed(error: Exception) -> str:
    ERRORS.append(" ".join(str(error).split())[:300])
    return f"error {len(ERRORS)}"


def _compared(cells: list[str], answers: list[Any]) -> tuple[str, str]:
    """The ratio embedded/Virtuoso of the two medians, and whether the answers agree."""
    if None in answers:
        return "-", "-"
    first, second = (float(cell.split()[0]) for cell in cells[2:4])
    same = "yes" if answers[0] == answers[1] else "NO"
    return f"{first / second:.2f}×", f"{same} ({len(answers[0])} rows)"


_LUA = """
math.randomseed(os.time())
request = function()
  local iri = "<{subsidy}SUB-" .. string.format("%07d", math.random(1, {rows})) .. ">"
  local query = "SELECT ?p ?o WHERE { " .. iri .. " ?p ?o }"
  local escaped = string.gsub(query, "[^%w]", function(c)
    return string.format("%%%02X", string.byte(c)) end)
  return wrk.format("GET", "/sparql?query=" .. escaped)
end
"""


class Served:
    """``psikg serve`` on one engine, for the duration of a ``with`` block."""

    def __init__(self, engine: list[str], env: dict[str, str]) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._server = subprocess.Popen(
            [sys.executable, "-m", "psikg", *engine, "serve", "--host", "127.0.0.1",
             "--port", str(self.port)], env=env, start_new_session=True,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def __enter__(self) -> Served:
        wait_for(f"{self.url}/health", 300)
        return self

    def __exit__(self, *exc: object) -> None:
        stop(self._server)


def served_csv(server: Served, name: str, values: dict[str, list[str]]) -> str:
    """The CSV of ``/queries/NAME.csv`` as an analyst downloads it."""
    query = urlencode([(key, value) for key, listed in values.items() for value in listed])
    url = f"{server.url}/queries/{name}.csv" + (f"?{query}" if query else "")
    with urllib.request.urlopen(url, timeout=600) as answer:
        return str(answer.read().decode("utf-8"))


def canned_served(servers: tuple[Served, Served], repeat: int) -> list[tuple[str, ...]]:
    """One line per canned query and values through each ``psikg serve``: medians, ratio,
    same CSV."""
    return [side_by_side(name, _values_label(values), [
        partial(served_csv, server, name, values) for server in servers], repeat,
        lambda csv: csv.splitlines()[1:]) for name, values in CANNED]


def lookups(server: Served, rows: int, clients: int, duration_s: int, folder: Path
            ) -> tuple[float, float, int]:
    """(p50 ms, requests/s, errors) of IRI lookups through ``server``'s ``/sparql``."""
    script = folder / "lookup.lua"
    script.write_text(_LUA.replace("{subsidy}", SUBSIDY).replace("{rows}", str(rows)),
                      encoding="utf-8")
    done = subprocess.run(["wrk", "-t", "2", "-c", str(clients), "-d", f"{duration_s}s",
                           "--timeout", "30s", "--latency", "-s", str(script), "-H",
                           "Accept: application/sparql-results+json", server.url],
                          capture_output=True, text=True, check=True).stdout
    rps = re.search(r"Requests/sec:\s+([\d.]+)", done)
    p50 = re.search(r"^\s+50%\s+(\S+)", done, re.MULTILINE)
    errors = sum(int(n) for n in re.findall(r"(?:Non-2xx or 3xx responses|timeout) (\d+)",
                                            done))
    return (_ms(p50.group(1)) if p50 else float("nan"),
            float(rps.group(1)) if rps else float("nan"), errors)


COMMANDS = CANNED[:1] + CANNED[3:4]
"""The canned queries timed as whole ``psikg queries`` commands."""


def queries_command(engine: list[str], env: dict[str, str], name: str,
                    values: dict[str, list[str]]) -> str:
    """The CSV of ``psikg ENGINE queries NAME --format csv`` in a new process."""
    params = [arg for key, listed in values.items() for value in listed
              for arg in ("--param", f"{key}={value}")]
    done = subprocess.run([sys.executable, "-m", "psikg", *engine, "queries", name,
                           "--format", "csv", *params], env=env, capture_output=True,
                          text=True)
    if done.returncode:
        raise RuntimeError(done.stderr[-500:])
    return done.stdout


def canned_commands(engines: tuple[tuple[list[str], dict[str, str]], ...], repeat: int
                    ) -> list[tuple[str, ...]]:
    """One line per query of :data:`COMMANDS`: median wall ms of the whole command on each
    engine, ratio, same CSV."""
    return [side_by_side(name, _values_label(values), [
        partial(queries_command, engine, env, name, values) for engine, env in engines],
        repeat, lambda csv: csv.splitlines()[1:]) for name, values in COMMANDS]


def sums_from_rows(table: Path) -> dict[tuple[str, str], tuple[int, Decimal]]:
    """Grants and amount granted per body and year, from the register's rows by the ``csv``
    module: the computation the engines' answers are checked against, without psikg."""
    sums: dict[tuple[str, str], tuple[int, Decimal]] = {}
    with table.open(encoding="utf-8", newline="") as rows:
        for row in csv.DictReader(rows):
            key = (row["granting_body_number"], row["year"])
            count, total = sums.get(key, (0, Decimal(0)))
            sums[key] = (count + 1, total + Decimal(row["amount_granted"]))
    return sums


def sums_answered(download: str) -> dict[tuple[str, str], tuple[int, Decimal]]:
    """The same sums from ``spending-by-body-year``'s CSV."""
    return {(row["body"].rsplit("/", 1)[-1], row["fiscal_year"]):
            (int(row["grants"]), Decimal(row["granted"]))
            for row in csv.DictReader(io.StringIO(download.lstrip("\ufeff")))}


def against_rows(truth: dict[tuple[str, str], tuple[int, Decimal]],
                 servers: tuple[Served, Served]) -> str:
    """Whether each engine's ``spending-by-body-year`` is :func:`sums_from_rows`."""
    said = []
    for label, server in zip(("embedded", "Virtuoso"), servers, strict=True):
        try:
            answered = sums_answered(served_csv(server, "spending-by-body-year", {}))
        except Exception as error:  # noqa: BLE001 - the bench reports every failure
            said.append(f"{label} {_failed(error)}")
            continue
        wrong = sum(answered.get(key) != value for key, value in truth.items())
        wrong += len(set(answered) - set(truth))
        said.append(f"{label} " + ("yes" if not wrong else f"NO ({wrong} wrong)"))
    return f"{len(truth)} body-years: " + ", ".join(said)


def print_table(title: str, lines: list[tuple[str, ...]]) -> None:
    print(f"\n{title}")
    print(f"{'':31}{'values':24}{'embedded ms':>16}{'Virtuoso ms':>16}{'ratio':>9}  same")
    for name, values, embedded, remote, ratio, same in lines:
        print(f"{name:31}{values[-24:]:24}{embedded:>16}{remote:>16}{ratio:>9}  {same}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3, help="loads on each engine")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each query")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--duration-s", type=int, default=10, help="of each wrk run")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: `apt-get install wrk` (make bench-engines does it)")
    folder = Path(tempfile.mkdtemp(prefix="psikg-bench-engines-"))
    (folder / "virtuoso").mkdir()
    virtuoso, process = start_virtuoso(folder / "virtuoso", LARGE_BUFFERS)
    try:
        measure(args, folder, virtuoso.environment(), virtuoso.password)
    finally:
        stop_virtuoso(virtuoso, process)
        shutil.rmtree(folder, ignore_errors=True)


def measure(args: argparse.Namespace, folder: Path, engine_env: dict[str, str],
            password: str) -> None:
    """Everything but starting and stopping Virtuoso (see the module's docstring)."""
    table = folder / "subsidies.csv"
    generate(table, args.rows, belgian=False)
    metadata = metadata_for(table, belgian=False)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PSIKG_")}
    env.update(PSIKG_PSEUDONYM_KEY=KEY, PYTHONPATH=str(ROOT))
    remote_env = {**env, **engine_env}
    embedded_args = ["--store", str(folder / "store")]
    print(f"{args.rows:,} rows; load average {os.getloadavg()[0]:.1f} at the start",
          flush=True)
    loads: dict[str, list[float]] = {"embedded": [], "virtuoso": []}
    for _ in range(args.runs):  # in turns, so that the machine's load falls on both
        loads["embedded"].append(timed_load(table, metadata, embedded_args, env))
        loads["virtuoso"].append(timed_load(table, metadata, [], remote_env))
    print(f"\n{'psikg load (s)':31}{'':24}{'embedded':>16}{'Virtuoso':>16}{'ratio':>9}")
    for label, picked in (("first (new graph)", slice(0, 1)),
                          ("reload (median)", slice(1, None))):
        alone, remote = (statistics.median(loads[k][picked] or [float("nan")])
                         for k in ("embedded", "virtuoso"))
        print(f"{label:31}{'':24}{alone:>16.1f}{remote:>16.1f}{alone / remote:>8.2f}×")
    with Store(folder / "store") as embedded, RemoteStore(
            engine_env["PSIKG_ENGINE_URL"], "virtuoso", user=engine_env["PSIKG_ENGINE_USER"],
            password=password, timeout_s=600) as remote_store:
        print_table("canned budget queries as `psikg queries` runs them (the aggregates' "
                    "freshness asked each time), median ms",
                    canned(embedded, remote_store, args.repeat))
        print_table("ad-hoc aggregates on the raw triples, median ms",
                    ad_hoc(embedded, remote_store, args.repeat))
    print_table("canned budget queries as whole commands (`psikg queries NAME --format "
                "csv`, a new process each), median ms",
                canned_commands(((embedded_args, env), ([], remote_env)), args.repeat))
    with Served(embedded_args, env) as on_embedded, Served([], remote_env) as on_virtuoso:
        print_table("canned budget queries as `psikg serve` answers them "
                    "(/queries/NAME.csv), median ms",
                    canned_served((on_embedded, on_virtuoso), args.repeat))
        print("\nspending-by-body-year's grants and amounts against the sums computed from "
              "the CSV rows (csv, Decimal):\n  " + against_rows(sums_from_rows(table),
                                                             (on_embedded, on_virtuoso)))
        print(f"\nIRI lookups through psikg serve's /sparql, {args.clients} clients, "
              f"{args.duration_s} s each")
        print(f"{'':31}{'':24}{'p50 ms':>16}{'requests/s':>16}{'errors':>9}")
        for label, server in (("embedded", on_embedded), ("Virtuoso", on_virtuoso)):
            p50, rps, errors = lookups(server, args.rows, args.clients, args.duration_s,
                                       folder)
            print(f"{label:31}{'':24}{p50:>16.2f}{rps:>16.0f}{errors:>9}")
    for number, error in enumerate(ERRORS, 1):
        print(f"error {number}: {error}")
    print(f"\nload average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
