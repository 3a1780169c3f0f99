"""Where psikg finds its data files and its store, in one place.

The ontology, code lists, shapes, register models and canned queries are data shipped beside
the Python packages (an editable install reads them from the checkout, a
wheel carries them next to ``graph/``). Nothing here reads the environment at
import time: :func:`store_path` is called by the command line with what the
user gave.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
"""The folder that holds ``graph/``, ``ontology/`` and ``queries/``."""

ONTOLOGY_DIR = PROJECT_ROOT / "ontology"
ONTOLOGY_FILE = ONTOLOGY_DIR / "psi.ttl"
CODELISTS_DIR = ONTOLOGY_DIR / "codelists"
SHAPES_DIR = ONTOLOGY_DIR / "shapes"
REGISTERS_DIR = ONTOLOGY_DIR / "registers"
"""The register models (``{name}.yaml``): what the canned queries read of each register."""
QUERIES_DIR = PROJECT_ROOT / "queries"
EXAMPLES_DIR = PROJECT_ROOT / "examples"

DEFAULT_STORE = Path("psikg-store")
"""The store folder used when neither ``--store`` nor ``PSIKG_STORE`` names one."""

DEFAULT_BASE_IRI = "https://data.psikg.example/"
"""Base of instance IRIs and graph names until a deployment sets its own."""


def store_path(option: str | os.PathLike[str] | None = None) -> Path:
    """Resolve the store folder: the option, else ``PSIKG_STORE``, else :data:`DEFAULT_STORE`.

    :param option: the value of ``--store``, if the user gave one.
    """
    if option:
        return Path(option)
    from_env = os.environ.get("PSIKG_STORE")
    return Path(from_env) if from_env else DEFAULT_STORE


def ontology_files() -> list[Path]:
    """The ontology and every code list: the context validation reasons with."""
    return [ONTOLOGY_FILE, *sorted(CODELISTS_DIR.glob("*.ttl"))]


def shape_files() -> list[Path]:
    """The decree's SHACL shapes, one file per article or group of articles."""
    return sorted(SHAPES_DIR.glob("*.ttl"))
