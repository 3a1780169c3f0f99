"""``psikg load`` and ``psikg validate`` of a register past Virtuoso's row caps, on the
embedded store and on Virtuoso, side by side.

The register is :mod:`tests.fixtures.synthetic.bodies_past_the_caps` (``--bodies``
public bodies: focus nodes, a SPARQL target's triples and neighbourhood batches past
10,000 rows), so that on Virtuoso the validation reads its answers a page at a time
(:mod:`graph.remote.pages`). Virtuoso is Debian's, started on loopback as the tests start
it (:mod:`tests.virtuoso_server`). Each command runs in a child process, as a user runs
it; the figures are wall seconds, with the violations each engine's report counts (they
must be equal). Usage::

    python bench/paged_validation.py [--bodies 12000]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.fixtures.synthetic.bodies_past_the_caps import generate  # noqa: E402
from tests.virtuoso_server import start  # noqa: E402
from tests.virtuoso_server import stop  # noqa: E402

BASE = "https://bench.psikg.example/"


def timed(args: list[str], env: dict[str, str]) -> tuple[float, str]:
    """Seconds ``psikg ARGS`` took, and its output."""
    began = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "psikg", "--base-iri", BASE, *args],
                          capture_output=True, text=True, env={**os.environ, **env},
                          check=False)
    if done.returncode not in (0, 1) or not done.stdout:
        print(f"psikg {' '.join(args)} failed: {done.stderr.splitlines()[-1]}")
    return time.perf_counter() - began, done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bodies", type=int, default=12_000)
    bodies = parser.parse_args().bodies
    with tempfile.TemporaryDirectory(prefix="psikg-paged-") as scratch:
        folder = Path(scratch)
        register = generate(folder / "bodies.nt", bodies)
        virtuoso, process = start(folder / "virtuoso")
        try:
            engines = {"embedded": ["--store", str(folder / "store")], "virtuoso": []}
            envs = {"embedded": {}, "virtuoso": virtuoso.environment()}
            print(f"{bodies} bodies, {sum(1 for _ in register.open())} triples; "
                  f"load average {os.getloadavg()[0]:.2f}")
            print(f"{'engine':10} {'load (s)':>9} {'validate (s)':>13} {'violations':>11}")
            for name, options in engines.items():
                load_s, _ = timed([*options, "load", str(register)], envs[name])
                graph = f"{BASE}graph/bodies.nt"
                validate_s, report = timed([*options, "validate", "--graph", graph,
                                            "--format", "json"], envs[name])
                violations = json.loads(report)[graph]["violations"] if report else "error"
                print(f"{name:10} {load_s:9.1f} {validate_s:13.1f} {violations:11}")
        finally:
            stop(virtuoso, process)


if __name__ == "__main__":
    main()
