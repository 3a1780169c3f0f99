"""Which datasets the platform's catalog publishes without being told to: one rule, for the
catalog's pages (``endpoint/platform_catalog.py``) and for Art. 4's check
(:mod:`graph.compliance.articles`), which counts such a dataset as listed by the platform.

The decree's Art. 4 platform lists the information a body disseminates. The catalog lists
the platform's own datasets (``dcat:dataset`` of the ``psi:Platform``), the harvested ones,
and, unasked, every ``dcat:Dataset`` of a loaded graph (the rows of a dataset inventory)
that has a title and a description, what DCAT-AP 3 requires of a dataset, and that is not
kept back: no dissemination mode but :data:`DISSEMINATED` (a dataset given on request or
not disseminated, Art. 11, is not published, even when another row calls it disseminated).
"""

from __future__ import annotations

from graph.namespaces import CODE
from graph.namespaces import DCAT
from graph.namespaces import DCT
from graph.namespaces import PSI

DISSEMINATED = CODE + "dissemination-mode/disseminated"
"""The dissemination mode of a dataset the platform lists without being told."""


def published_unasked(dataset: str) -> str:
    """The SPARQL graph pattern that matches when ``dataset`` (a variable, e.g. ``?d``) is
    a dataset the catalog publishes unasked. Its other variables are ``dataset`` with a
    suffix, so that it can sit beside the caller's.

    >>> "FILTER NOT EXISTS" in published_unasked("?d")
    True
    """
    return (f"{dataset} a <{DCAT}Dataset> ; <{DCT}title> {dataset}_title ; "
            f"<{DCT}description> {dataset}_description . "
            f"FILTER NOT EXISTS {{ {kept_back(dataset)} }}")


def kept_back(dataset: str) -> str:
    """The SPARQL graph pattern that matches when ``dataset`` (a variable) has a
    dissemination mode other than :data:`DISSEMINATED`: the catalog does not publish it
    unasked (the catalog's search index keeps this apart from its title and description).

    >>> kept_back("?d").startswith("?d <https://w3id.org/psikg/ontology#disseminationMode>")
    True
    """
    return (f"{dataset} <{PSI}disseminationMode> {dataset}_mode "
            f"FILTER({dataset}_mode != <{DISSEMINATED}>)")
