"""Convert a registry in a child process, so that conversion and the store's bulk load overlap.

The CSVW engine is Python and uses one core; pyoxigraph's ``bulk_load`` reads
the N-Triples it writes. In one process they take turns. When asked to
(``load_table(..., parallel_bytes=N)``; off by default, see
:data:`loaders.row_conversion.PARALLEL_BYTES` for the measurement), the loader
runs the conversion here instead, ``python -m loaders.convert_worker``: the job (paths, the rows
to leave out, the pseudonymisation key) comes on standard input as JSON, so
the key never shows in a process list; the N-Triples go to standard output,
which the parent bulk-loads as they come; what happened (cell errors, row
counts, or the error that stopped the conversion) goes to the result file
named in the job, written once the output is closed.
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

from graph.errors import PsikgError


def run(job: dict[str, Any]) -> dict[str, Any]:
    """Convert as :func:`loaders.row_conversion.convert_rows` does, to standard output."""
    from loaders.prepared import Prepared
    from loaders.row_conversion import convert_rows

    prepared = Prepared.from_json(job["prepared"])
    key = bytes.fromhex(job["key"]) if job.get("key") else None
    out = sys.stdout.buffer
    job_result = convert_rows(prepared, key, set(job["excluded"]), blank=job.get("blank", False))
    for chunk in job_result.chunks():
        out.write(chunk)
    out.flush()
    out.close()
    return job_result.summary()


def main() -> None:
    job = json.loads(sys.stdin.read())
    result_file = Path(job["result"])
    try:
        summary = run(job)
    except PsikgError as error:
        summary = {"error": {"class": type(error).__name__, **asdict(error)}}
        sys.stdout.buffer.close()
    result_file.write_text(json.dumps(summary), encoding="utf-8")


if __name__ == "__main__":
    main()
