"""Does ``oxigraph serve`` stop a query when psikg, past its deadline, closes the
connection? (``docs/engines.md``, ``docs/performance.md``.)

    python bench/remote_disconnect.py [--watch-s 10]

An ``oxigraph serve`` of its own holds 2,000 triples; psikg's store in front of it
(``graph.remote.store.RemoteStore``, kind ``oxigraph``, a 2 s timeout) sends queries that
take far longer, reads what comes until its deadline, and closes its connection. The
engine's CPU time is then sampled (``/proc/PID/stat``) for ``--watch-s`` seconds: one CPU
second per second means the query runs on without a client.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graph.engine.process import EngineProcess  # noqa: E402
from graph.errors import StoreError  # noqa: E402
from graph.remote.store import RemoteStore  # noqa: E402

PRODUCT = "?a ?b ?c . ?d ?e ?f . ?g ?h ?i"
QUERIES = {
    "aggregate (nothing sent until done)": f"SELECT (COUNT(*) AS ?n) FROM <urn:g> "
                                           f"WHERE {{ {PRODUCT} }}",
    "rows sent as found": f"SELECT * FROM <urn:g> WHERE {{ {PRODUCT} }}",
}


def cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--watch-s", type=float, default=10.0)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        engine = EngineProcess(Path(folder) / "store")
        engine.start()
        try:
            triples = "".join(f'<http://ex.example/s{i}> <http://ex.example/p> "{i}" .\n'
                              for i in range(2_000))
            requests.post(f"{engine.url}/store", params={"graph": "urn:g"}, timeout=60,
                          data=triples.encode(),
                          headers={"Content-Type": "application/n-triples"}).raise_for_status()
            for name, query in QUERIES.items():
                store = RemoteStore(engine.url, "oxigraph", timeout_s=2.0)
                assert engine.pid is not None
                started = time.monotonic()
                try:
                    for _ in store.query(query):
                        pass
                except StoreError as error:
                    print(f"{name}: psikg gave up after {time.monotonic() - started:.1f} s "
                          f"({error.type})")
                store.close()
                before = cpu_s(engine.pid)
                time.sleep(options.watch_s)
                used = cpu_s(engine.pid) - before
                print(f"  engine CPU in the {options.watch_s:g} s after: {used:.1f} s",
                      flush=True)
                engine.stop()  # the only way to stop it; a fresh one for the next query
                engine.start()
        finally:
            engine.stop()


if __name__ == "__main__":
    main()
