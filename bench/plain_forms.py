"""The ``plain`` forms of the canned budget queries (what runs when the precomputed
aggregates are out of date), on the embedded store and on Virtuoso, side by side.

Generates the subsidies register of ``make bench-engines`` (``--rows`` rows,
``tests/fixtures/synthetic/bench_table.py``), starts Debian's Virtuoso on loopback as the
tests do (:mod:`tests.virtuoso_server`) and loads the register into both with ``psikg
load``; or, with ``--store DIR`` and the ``PSIKG_ENGINE_*`` variables, reads a register
already loaded into both. Then, for each folder of queries (``--queries-dir``, repeatable:
to compare two versions of the files), the median of ``--repeat`` runs of each plain form
(:func:`graph.canned.run.run` with ``force_plain``) on each engine, and whether its rows
are the aggregates' rows on the embedded store. A query the engine fails on (psikg's
``--timeout-s``) ends that engine's runs: a query that hangs Virtuoso hangs every one after
it, so give the folder that may hang last. Usage::

    python bench/plain_forms.py [--rows 50000] [--repeat 3] [--queries-dir DIR …]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from collections.abc import Mapping
from collections.abc import Sequence
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.engines import BODY  # noqa: E402 - run as a script
from bench.engines import KEY  # noqa: E402
from bench.engines import median_of  # noqa: E402
from bench.engines import timed_load  # noqa: E402
from graph.canned.library import load_library  # noqa: E402
from graph.canned.model import CannedQuery  # noqa: E402
from graph.canned.run import Cell  # noqa: E402
from graph.canned.run import Executor  # noqa: E402
from graph.canned.run import StoreExecutor  # noqa: E402
from graph.canned.run import run  # noqa: E402
from graph.remote.store import RemoteStore  # noqa: E402
from graph.settings import QUERIES_DIR  # noqa: E402
from graph.store import Store  # noqa: E402
from tests.fixtures.synthetic.bench_table import generate  # noqa: E402
from tests.fixtures.synthetic.bench_table import metadata_for  # noqa: E402
from tests.virtuoso_server import start as start_virtuoso  # noqa: E402
from tests.virtuoso_server import stop as stop_virtuoso  # noqa: E402

CASES: list[tuple[str, dict[str, list[str]]]] = [
    ("granted-vs-paid", {}), ("granted-vs-paid", {"year": ["2024"]}),
    ("spending-by-body-year", {}), ("spending-by-body-year", {"year": ["2024"]}),
    ("spending-by-body-year", {"body": [BODY]}),
    ("subsidies-by-municipality", {}), ("subsidies-by-municipality", {"year": ["2025"]}),
    ("top-beneficiaries", {}), ("top-beneficiaries", {"from": ["2024"], "to": ["2024"]}),
    ("year-over-year", {"year": ["2025"]}),
]
"""Each plain form with no value and with one; ``year-over-year`` last (it hung Virtuoso);
not ``beneficiary-profile``: the register keeps no enterprise number to look one up by."""


def measure(queries_dir: Path, embedded: Store, remote: RemoteStore, repeat: int) -> None:
    """Print one line per case: medians in ms on each engine, and whether each engine's
    plain rows are the embedded aggregates' rows."""
    library = load_library(queries_dir)
    print(f"\n{queries_dir}: plain forms, median ms of {repeat}")
    print(f"{'query':28}{'values':22}{'embedded':>10}{'Virtuoso':>10}  same rows")
    local, engine = StoreExecutor(embedded), StoreExecutor(remote)
    engine_ok = True
    for name, values in CASES:
        query = library[name]
        reference = run(query, local, values).rows
        cells = []
        for executor, asked in ((local, True), (engine, engine_ok)):
            if not asked:
                cells.append(("not asked", "-"))
                continue
            cells.append(_timed(executor, query, values, reference, repeat))
            engine_ok = engine_ok and cells[-1][1] != "-"
        shown = ",".join(f"{key}={'|'.join(value)}" for key, value in values.items())
        print(f"{name:28}{shown[:21]:22}{cells[0][0]:>10}{cells[1][0]:>10}  "
              f"{cells[0][1]} / {cells[1][1]}")


def _timed(executor: Executor, query: CannedQuery, values: Mapping[str, Sequence[str]],
           reference: list[tuple[Cell, ...]], repeat: int) -> tuple[str, str]:
    try:
        seconds, result = median_of(partial(run, query, executor, values, force_plain=True),
                                    repeat)
    except Exception as error:  # noqa: BLE001 - the bench reports every failure
        print("   ", " ".join(str(error).split())[:200])
        return "failed", "-"
    same = "yes" if result.rows == reference else "NO"
    return f"{seconds * 1000:.0f}", f"{same} ({len(result.rows)})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each query")
    parser.add_argument("--timeout-s", type=float, default=30.0, help="of each query")
    parser.add_argument("--queries-dir", type=Path, action="append")
    parser.add_argument("--store", type=Path, help="an embedded store already loaded, "
                        "beside the engine the PSIKG_ENGINE_* variables name")
    args = parser.parse_args()
    folders = args.queries_dir or [QUERIES_DIR]
    if args.store:
        with Store(args.store) as embedded, RemoteStore(
                os.environ["PSIKG_ENGINE_URL"], "virtuoso",
                user=os.environ.get("PSIKG_ENGINE_USER", ""),
                password=_password(os.environ.get("PSIKG_ENGINE_PASSWORD_FILE")),
                timeout_s=args.timeout_s) as remote:
            for folder in folders:
                measure(folder, embedded, remote, args.repeat)
        return
    work = Path(tempfile.mkdtemp(prefix="psikg-bench-plain-"))
    (work / "virtuoso").mkdir()
    virtuoso, process = start_virtuoso(work / "virtuoso")
    try:
        table = work / "subsidies.csv"
        generate(table, args.rows, belgian=False)
        metadata = metadata_for(table, belgian=False)
        env = {k: v for k, v in os.environ.items() if not k.startswith("PSIKG_")}
        env.update(PSIKG_PSEUDONYM_KEY=KEY, PYTHONPATH=str(ROOT))
        timed_load(table, metadata, ["--store", str(work / "store")], env)
        timed_load(table, metadata, [], {**env, **virtuoso.environment()})
        with Store(work / "store") as embedded, RemoteStore(
                virtuoso.url, "virtuoso", user=virtuoso.user, password=virtuoso.password,
                timeout_s=args.timeout_s) as remote:
            for folder in folders:
                measure(folder, embedded, remote, args.repeat)
    finally:
        stop_virtuoso(virtuoso, process)
        shutil.rmtree(work, ignore_errors=True)


def _password(path: str | None) -> str:
    return Path(path).read_text(encoding="utf-8").splitlines()[0] if path else ""


if __name__ == "__main__":
    main()
