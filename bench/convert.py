"""``make bench-convert``: CSV registry to a validated, queryable store, against its anchors.

Generates a subsidies registry of ``--rows`` rows (ten triples a row with the
bench mapping, ``bench/subsidies-bench-metadata.json``;
``tests/fixtures/synthetic/bench_table.py``) and times, in child
processes so that each peak RSS is its own, ``--runs`` times each:

- ``psikg``: :func:`loaders.registry.load_table` end to end, from the CSV to
  an on-disk store (strict conversion, anonymisation plan, shape validation,
  the budget aggregates of :mod:`graph.budget`, commit, ``optimize``),
  on Belgian notation (``1.234,56``, ``31/12/2024``) and on plain notation
  (``1234.56``, ``2024-12-31``), and on plain notation without the aggregates;
- ``morph-kgc + bulk_load``: Morph-KGC, in a virtual environment of its own
  (``bench/.morph-venv``, created on first use: it pins old pyoxigraph and
  rdflib, so it is never a project dependency), with the equivalent YARRRML
  mapping on the plain CSV, to N-Triples; then pyoxigraph's ``bulk_load``;
- ``bulk_load``: pyoxigraph's ``bulk_load`` alone of the N-Triples psikg
  writes, into the named graph: the anchor the issue sets;
- ``bulk_load + optimize``: the same child process, followed by the ``optimize``
  that psikg's commit runs (its own peak RSS: the load's is read before);
- ``store floor``: the same N-Triples cut as psikg's loader cuts them
  (:func:`loaders.csvw.stream.in_parts` of the file in chunks of about 256 rows),
  bulk-loaded a part at a time into the named graph, then ``optimize``: no
  conversion, so what is left between it and psikg is psikg's own.

The 1 GB cap needs parts (one ``bulk_load`` of 10M triples peaks at 1.7 GB), and
parts cost CPU: the floor is already well above the anchor. The ratios against
each anchor say how much of psikg's time is the store's and how much is psikg's.

Prints the median wall time and CPU seconds, rows/s, triples/s and peak RSS of
each path and the ratios the issue sets as goals.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyoxigraph as ox

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from tests.fixtures.synthetic.bench_table import generate  # noqa: E402 - run as a script
from tests.fixtures.synthetic.bench_table import metadata_for  # noqa: E402

MAPPING = HERE / "subsidies-bench.yarrrml.yml"
MORPH_VENV = HERE / ".morph-venv"
KEY = b"bench-key-not-a-secret-0123456789"
GRAPH = "https://data.psikg.example/graph/bench"
CHUNK_BYTES = 1300 << 10
"""About the engine's chunk, a batch of :data:`loaders.csvw.columnar.BATCH_ROWS` (1,024)
rows of 1.3 kB of N-Triples each with the bench mapping."""


# --- the paths, each run in a child process ---------------------------------------------

def child_psikg(csv: Path, metadata: Path, store: Path,
                aggregates: str = "yes") -> dict[str, float]:
    from graph.store import Store
    from loaders.registry import load_table

    with Store(store) as opened:
        result = load_table(opened, csv, metadata, graph=GRAPH, key=KEY,
                            aggregates=aggregates == "yes")
    return {"triples": result.triples, "rows": result.rows_loaded, **result.seconds}


def child_ntriples(csv: Path, metadata: Path, output: Path) -> dict[str, float]:
    import loaders.registry  # noqa: F401 - registers the psikg formats
    from loaders.csvw.convert import csv2rdf

    conversion = csv2rdf(str(csv), metadata=str(metadata), mode="minimal", strict=True)
    count = 0
    with output.open("wb") as out:
        for chunk in conversion.chunks():
            count += chunk.count(b"\n")
            out.write(chunk)
    return {"triples": count, "rows": conversion.rows}


def child_bulk_load(ntriples: Path, store: Path, optimize: str = "no") -> dict[str, float]:
    import pyoxigraph as ox

    opened = ox.Store(str(store))
    opened.bulk_load(path=str(ntriples), format=ox.RdfFormat.N_TRIPLES,
                     to_graph=ox.NamedNode(GRAPH))
    opened.flush()
    return _then_optimize(opened, optimize == "yes")


def child_parts(ntriples: Path, store: Path, size: str = "") -> dict[str, float]:
    """The store's floor: psikg's parts (of ``size`` bytes, else ``PART_BYTES``), no conversion."""
    import pyoxigraph as ox

    from loaders.csvw.stream import PART_BYTES
    from loaders.csvw.stream import in_parts

    opened = ox.Store(str(store))
    graph = ox.NamedNode(GRAPH)
    count = 0
    for part in in_parts(file_chunks(ntriples), size=int(size) if size else PART_BYTES):
        opened.bulk_load(input=part, format=ox.RdfFormat.N_TRIPLES, to_graph=graph)
        count += 1
    opened.flush()
    return {"parts": count, **_then_optimize(opened, True)}


def _then_optimize(opened: ox.Store, optimize: bool) -> dict[str, float]:
    """Peak RSS so far (the load's), then ``optimize``'s wall and CPU seconds if asked."""
    import resource

    result = {"triples": 0, "rows": 0,
              "load_rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
    if optimize:
        started, cpu = time.perf_counter(), time.process_time()
        opened.optimize()
        result.update(optimize=time.perf_counter() - started,
                      optimize_cpu=time.process_time() - cpu)
    return result


def file_chunks(path: Path, size: int = CHUNK_BYTES) -> Iterator[bytes]:
    """An N-Triples file in blocks of about ``size`` bytes that end with a line, as the
    engine yields its chunks: :func:`~loaders.csvw.stream.in_parts` then cuts them alike."""
    with path.open("rb") as stream:
        rest = b""
        while block := stream.read(size):
            block = rest + block
            cut = block.rfind(b"\n") + 1
            rest = block[cut:]
            if cut:
                yield block[:cut]
        if rest:
            yield rest


CHILDREN = {"psikg": child_psikg, "ntriples": child_ntriples, "bulk_load": child_bulk_load,
            "parts": child_parts}


def run_child(name: str, *args: Path | str) -> tuple[float, float, float, dict[str, float]]:
    """(seconds, CPU seconds, peak RSS in MB, result) of one path in a fresh Python process."""
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, __file__, "--child", name, *map(str, args)],
                               stdout=subprocess.PIPE, cwd=ROOT)
    assert process.stdout is not None
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if status != 0:
        raise SystemExit(f"bench: {name} failed")
    return (seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024,
            json.loads(output))


def morph_kgc(csv: Path, folder: Path) -> tuple[float, float, float, Path] | None:
    """Morph-KGC to N-Triples in its own venv: (seconds, CPU seconds, peak RSS MB, output),
    or None."""
    python = MORPH_VENV / "bin" / "python"
    if not python.exists():
        print("bench: creating bench/.morph-venv with morph-kgc (once)…", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(MORPH_VENV)], check=True)
        installed = subprocess.run([str(python), "-m", "pip", "install", "-q", "morph-kgc"])
        if installed.returncode != 0:
            print("bench: morph-kgc could not be installed; its line is left out",
                  file=sys.stderr)
            return None
    output = folder / "morph.nt"
    config = folder / "morph.ini"
    mapping = folder / "mapping.yml"
    mapping.write_text(MAPPING.read_text(encoding="utf-8").replace("{CSV}", str(csv)),
                       encoding="utf-8")
    config.write_text(f"[CONFIGURATION]\noutput_file={output}\nnumber_of_processes=2\n"
                      f"[Subsidies]\nmappings={mapping}\n", encoding="utf-8")
    started = time.perf_counter()
    process = subprocess.Popen([str(python), "-m", "morph_kgc", str(config)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=folder)
    assert process.stderr is not None
    errors = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if status != 0:
        print(f"bench: morph-kgc failed: {errors.decode()[-500:]}", file=sys.stderr)
        return None
    # ru_maxrss is the main process's: Morph-KGC's worker processes are not counted.
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, output


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-morph", action="store_true", help="leave Morph-KGC out")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        name, *paths = options.child
        arguments = [Path(p) if "/" in p else p for p in paths]
        print(json.dumps(CHILDREN[name](*arguments)))  # type: ignore[operator]
        return
    folder = Path(tempfile.mkdtemp(prefix="psikg-bench-"))
    try:
        bench(folder, options.rows, options.runs, not options.no_morph)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


Runs = dict[str, list[tuple[float, float, float]]]
"""Label → (seconds, CPU seconds, peak RSS MB) of each run."""
PSIKG = "psikg end to end (plain notation)"
BARE = "psikg, plain, without budget aggregates"
BULK = "pyoxigraph bulk_load of psikg's N-Triples"
BULK_OPTIMIZE = "bulk_load + optimize"
FLOOR = "store floor: psikg's parts + optimize"


def bench(folder: Path, rows: int, runs: int, with_morph: bool) -> None:
    from loaders.csvw.stream import PART_BYTES

    belgian, plain = folder / "subsidies-be.csv", folder / "subsidies-plain.csv"
    generate(belgian, rows, belgian=True)
    generate(plain, rows, belgian=False)
    meta_be, meta_plain = metadata_for(belgian, True), metadata_for(plain, False)
    nt = folder / "psikg.nt"
    _, _, _, made = run_child("ntriples", plain, meta_plain, nt)
    triples = made["triples"]
    print(f"{rows:,} rows, {triples:,.0f} triples ({triples / rows:.1f} a row); "
          f"median of {runs} runs; peak RSS is the child process's; "
          f"psikg's parts of {PART_BYTES >> 20} MB\n")
    results: Runs = {}
    phases: dict[str, list[float]] = {}
    for run in range(runs):
        for label, csv, meta, aggregates in (
                ("psikg end to end (Belgian notation)", belgian, meta_be, "yes"),
                (PSIKG, plain, meta_plain, "yes"),
                (BARE, plain, meta_plain, "no")):
            store = folder / f"store-{run}-{len(results)}"
            seconds, cpu, rss, made = run_child("psikg", csv, meta, store, aggregates)
            results.setdefault(label, []).append((seconds, cpu, rss))
            if aggregates == "yes" and csv == plain:
                for phase in ("stage", "validate", "aggregates", "commit"):
                    phases.setdefault(phase, []).append(made.get(phase, 0.0))
            shutil.rmtree(store, ignore_errors=True)
        store = folder / f"bulk-{run}"
        # One child for both anchors: the load's own peak RSS is read before optimize.
        seconds, cpu, rss, made = run_child("bulk_load", nt, store, "yes")
        results.setdefault(BULK, []).append(
            (seconds - made["optimize"], cpu - made["optimize_cpu"], made["load_rss"]))
        results.setdefault(BULK_OPTIMIZE, []).append((seconds, cpu, rss))
        shutil.rmtree(store, ignore_errors=True)
        store = folder / f"floor-{run}"
        results.setdefault(FLOOR, []).append(run_child("parts", nt, store)[:3])
        shutil.rmtree(store, ignore_errors=True)
        if with_morph:
            morph = morph_kgc(plain, folder)
            if morph is None:
                with_morph = False
                continue
            seconds, cpu, rss, output = morph
            store = folder / f"morph-store-{run}"
            load_s, load_cpu, load_rss, _ = run_child("bulk_load", output, store)
            results.setdefault("Morph-KGC to N-Triples", []).append((seconds, cpu, rss))
            results.setdefault("Morph-KGC + bulk_load", []).append(
                (seconds + load_s, cpu + load_cpu, max(rss, load_rss)))
            shutil.rmtree(store, ignore_errors=True)
    report(results, rows, triples)
    print("psikg (plain) by phase, medians: " + ", ".join(
        f"{phase} {statistics.median(values):.1f} s" for phase, values in phases.items()))


def report(results: Runs, rows: int, triples: float) -> None:
    medians = {label: (statistics.median(s for s, _, _ in runs),
                       statistics.median(c for _, c, _ in runs), max(r for _, _, r in runs))
               for label, runs in results.items()}
    print(f"{'path':<44} {'time s':>8} {'CPU s':>7} {'rows/s':>10} {'triples/s':>11} "
          f"{'peak RSS':>10}")
    for label, (seconds, cpu, rss) in medians.items():
        print(f"{label:<44} {seconds:>8.1f} {cpu:>7.1f} {rows / seconds:>10,.0f} "
              f"{triples / seconds:>11,.0f} {rss:>7,.0f} MB")

    def ratio(over: str, under: str) -> str:
        """Wall-time ratio, and the CPU seconds' (steadier on a shared machine)."""
        return (f"{medians[over][0] / medians[under][0]:.2f} "
                f"(CPU {medians[over][1] / medians[under][1]:.2f})")

    print(f"\npsikg / bare bulk_load: {ratio(PSIKG, BULK)}; without the aggregates: "
          f"{ratio(BARE, BULK)} (goal: at most 1.5)")
    print(f"psikg / bulk_load + optimize: {ratio(PSIKG, BULK_OPTIMIZE)}; without the "
          f"aggregates: {ratio(BARE, BULK_OPTIMIZE)}")
    print(f"  the store's share: store floor / bulk_load + optimize: "
          f"{ratio(FLOOR, BULK_OPTIMIZE)}; store floor / bare bulk_load: {ratio(FLOOR, BULK)}")
    print(f"  psikg's share: psikg / store floor: {ratio(PSIKG, FLOOR)}; without the "
          f"aggregates: {ratio(BARE, FLOOR)}")
    if "Morph-KGC + bulk_load" in medians:
        morph = medians["Morph-KGC + bulk_load"][0]
        psikg, bare = medians[PSIKG][0], medians[BARE][0]
        print(f"Morph-KGC + bulk_load / psikg: {morph / psikg:.2f}; without the aggregates: "
              f"{morph / bare:.2f} (goal: at least 2)")
    worst = max(rss for label, (_, _, rss) in medians.items() if label.startswith("psikg"))
    print(f"psikg's largest peak RSS: {worst:,.0f} MB (goal: under 1,024 MB)")


if __name__ == "__main__":
    main()
