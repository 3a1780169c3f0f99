"""Part-size study: what psikg's part size costs the store, to choose ``PART_BYTES``.

Loads the N-Triples psikg writes for a registry (``--ntriples``, else generated
for ``--rows`` rows) into a fresh on-disk store's named graph, cut as psikg's
loader cuts them (:func:`loaders.csvw.stream.in_parts` with each ``--sizes``),
a part at a time, then runs ``optimize`` (psikg's commit does), each in a child
process of :mod:`bench.convert`. Sizes take turns within a run, so that a busy
spell of the shared machine does not land on one size only.

Prints wall and CPU seconds of the load, its peak RSS, and optimize's seconds;
medians over ``--runs``, the largest RSS. CPU seconds are the steadier figure
on a shared machine. The end-to-end load holds the converter and the
aggregates' tally besides the store: compare with ``make bench-convert``'s psikg
peak RSS before choosing a size under the 1 GB cap.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.convert import run_child  # noqa: E402 - run as a script
from tests.fixtures.synthetic.bench_table import generate  # noqa: E402
from tests.fixtures.synthetic.bench_table import metadata_for  # noqa: E402

Figures = tuple[float, float, float, float, float, float]
"""Load seconds, load CPU seconds, load peak RSS MB, optimize seconds and CPU, parts."""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ntriples", type=Path, help="psikg's N-Triples of a registry")
    parser.add_argument("--rows", type=int, default=1_000_000,
                        help="rows of the registry generated when --ntriples is not given")
    parser.add_argument("--sizes", type=int, nargs="+", default=[16, 32, 48, 64, 96],
                        help="part sizes, MB")
    parser.add_argument("--runs", type=int, default=2)
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="psikg-parts-"))
    try:
        ntriples = options.ntriples or made_ntriples(folder, options.rows)
        study(ntriples, folder, options.sizes, options.runs)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def made_ntriples(folder: Path, rows: int) -> Path:
    csv, output = folder / "subsidies-plain.csv", folder / "psikg.nt"
    generate(csv, rows, belgian=False)
    run_child("ntriples", csv, metadata_for(csv, False), output)
    return output


def study(ntriples: Path, folder: Path, sizes: list[int], runs: int) -> None:
    print(f"{ntriples} ({ntriples.stat().st_size / 2**20:,.0f} MB), parts of "
          f"{', '.join(map(str, sizes))} MB, {runs} run(s) each\n", flush=True)
    figures: dict[int, list[Figures]] = {}
    for run in range(runs):
        for size in sizes:
            store = folder / f"store-{size}-{run}"
            seconds, cpu, rss, made = run_child("parts", ntriples, store, str(size << 20))
            shutil.rmtree(store, ignore_errors=True)
            load = (seconds - made["optimize"], cpu - made["optimize_cpu"], made["load_rss"],
                    made["optimize"], made["optimize_cpu"], made["parts"])
            figures.setdefault(size, []).append(load)
            print(f"run {run + 1}, {size} MB: {load[5]:.0f} parts, load {load[0]:.1f} s, "
                  f"CPU {load[1]:.1f} s, peak RSS {load[2]:,.0f} MB; optimize {load[3]:.1f} s, "
                  f"CPU {load[4]:.1f} s; the child's peak RSS {rss:,.0f} MB", flush=True)
    print(f"\n{'part':>6} {'parts':>6} {'load s':>8} {'CPU s':>7} {'peak RSS':>10} "
          f"{'optimize s':>11} {'CPU s':>7} {'total CPU s':>12}")
    for size, runs_of in figures.items():
        load_s, load_cpu, _, optimize_s, optimize_cpu, parts = (
            statistics.median(f[i] for f in runs_of) for i in range(6))
        rss = max(f[2] for f in runs_of)
        print(f"{size:>3} MB {parts:>6.0f} {load_s:>8.1f} {load_cpu:>7.1f} {rss:>7,.0f} MB "
              f"{optimize_s:>11.1f} {optimize_cpu:>7.1f} {load_cpu + optimize_cpu:>12.1f}")


if __name__ == "__main__":
    main()
