"""The budget aggregates' tally alone: CPU seconds to feed a registry's N-Triples and to
summarise them, and the peak RSS, without the conversion or the store around it.

The loader feeds :class:`graph.budget.tally.Tally` every N-Triples chunk of the
conversion thread (256 rows a chunk) and asks for its ``summary()`` before the commit; both
run in Python beside the store's bulk load on a 2-core machine, so their CPU time adds to
the load's wall time. Each run is a fresh child process (its peak RSS is its own); the
chunks are read from the file outside the measured time. Usage::

    python bench/tally.py --rows 1000000 [--runs 3] [--ntriples FILE] [--module FILE]

``--ntriples``: a bench registry's N-Triples (``bench/convert.py``'s plain notation, ten
lines a row), read-only; without it one is generated in a temporary folder. ``--module``:
another version of ``graph/budget/tally.py`` to time instead (e.g. ``git show
REV:graph/budget/tally.py > /tmp/old.py``); it prints the digest of the pickled
summary so two versions can be compared.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import itertools
import json
import os
import pickle
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
LINES_PER_ROW = 10
CHUNK_ROWS = 256


def _module(path: str | None) -> ModuleType:
    if path is None:
        import graph.budget.tally as tap
        return tap
    spec = importlib.util.spec_from_file_location("tally_under_test", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def child(ntriples: str, rows: int, module: str | None) -> dict[str, float | str]:
    """Feed the first ``rows`` rows in chunks of :data:`CHUNK_ROWS` rows, then summarise."""
    tally = _module(module).Tally()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    fed = 0.0
    with open(ntriples, "rb") as source:
        lines = itertools.islice(source, rows * LINES_PER_ROW)
        while True:
            chunk = b"".join(itertools.islice(lines, CHUNK_ROWS * LINES_PER_ROW))
            if not chunk:
                break
            started = time.process_time()
            tally.feed(chunk)
            fed += time.process_time() - started
    started = time.process_time()
    summary = tally.summary()
    summarised = time.process_time() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"feed": fed, "summary": summarised, "peak_mb": peak, "base_mb": before,
            "digest": hashlib.sha256(pickle.dumps(summary)).hexdigest()[:16]}


def generate(folder: Path, rows: int) -> Path:
    sys.path.insert(0, str(ROOT))
    from bench.convert import child_ntriples
    from tests.fixtures.synthetic.bench_table import generate as generate_csv
    from tests.fixtures.synthetic.bench_table import metadata_for

    csv = folder / "bench.csv"
    generate_csv(csv, rows, belgian=False)
    output = folder / "bench.nt"
    child_ntriples(csv, metadata_for(csv, belgian=False), output)
    return output


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--ntriples", help="a bench registry's N-Triples (read-only)")
    parser.add_argument("--module", help="another graph/budget/tally.py to time")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        ntriples, rows, module = args.child
        print(json.dumps(child(ntriples, int(rows), module or None)))
        return
    with tempfile.TemporaryDirectory(prefix="psikg-bench-tally-") as folder:
        ntriples = args.ntriples or str(generate(Path(folder), args.rows))
        results = []
        for _ in range(args.runs):
            output = subprocess.run([sys.executable, __file__, "--child", ntriples,
                                     str(args.rows), args.module or ""], cwd=ROOT, check=True,
                                    stdout=subprocess.PIPE).stdout
            results.append(json.loads(output))
    feed = statistics.median(r["feed"] for r in results)
    summary = statistics.median(r["summary"] for r in results)
    print(f"{args.rows} rows, {args.runs} runs, load average {os.getloadavg()[0]:.2f}: "
          f"feed {feed:.2f} s CPU, summary {summary:.2f} s CPU, total {feed + summary:.2f} s "
          f"(medians; runs {[round(r['feed'] + r['summary'], 2) for r in results]}), "
          f"peak RSS {statistics.median(r['peak_mb'] for r in results):.0f} MB "
          f"(before feeding {statistics.median(r['base_mb'] for r in results):.0f} MB), "
          f"summary digest {sorted({r['digest'] for r in results})}")


if __name__ == "__main__":
    main()
