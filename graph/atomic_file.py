"""A small file replaced whole: readers in other processes see the old content or the new,
never a half-written file (a pid, a server's announcement, a count, a manifest)."""

from __future__ import annotations

import os
from pathlib import Path


def replace_file(path: Path, content: str | bytes) -> None:
    """Write ``content`` to a temporary file beside ``path``, then rename it over ``path``
    (``os.replace`` is atomic on one file system)."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    data = content.encode() if isinstance(content, str) else content
    temporary.write_bytes(data)
    os.replace(temporary, path)
