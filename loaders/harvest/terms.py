"""Namespaces the harvester writes, as plain strings (see :mod:`graph.namespaces`).

``HARVEST`` (``https://w3id.org/psikg/harvest#``) names the things a harvest report
talks about that no reused vocabulary names: its metrics (one per repair and per
problem, each a ``dqv:Metric`` labelled in four languages in every report, see
:mod:`loaders.harvest.report`), the machine-translation activity, and
``keptInData`` on a recorded translation. They describe psikg's own process, not
the decree, so they are not ``psi:`` terms.
"""

from __future__ import annotations

from graph.namespaces import DCAT
from graph.namespaces import DCATAP
from graph.namespaces import DCT
from graph.namespaces import FOAF
from graph.namespaces import PROV
from graph.namespaces import RDF
from graph.namespaces import RDFS
from graph.namespaces import SKOS
from graph.namespaces import VOID
from graph.namespaces import XSD

__all__ = ["ADMS", "DCAT", "DCATAP", "DCT", "DQV", "FOAF", "HARVEST", "HTTP", "HYDRA", "OWL",
           "PROV", "RDF", "RDFS", "SCHEMA", "SKOS", "VCARD", "VOID", "XSD"]

HARVEST = "https://w3id.org/psikg/harvest#"
ADMS = "http://www.w3.org/ns/adms#"
DQV = "http://www.w3.org/ns/dqv#"
HTTP = "http://www.w3.org/2011/http#"
HYDRA = "http://www.w3.org/ns/hydra/core#"
OWL = "http://www.w3.org/2002/07/owl#"
SCHEMA = "http://schema.org/"
"""DCAT-AP 1.x wrote ``schema:startDate`` with the http scheme (see :mod:`.repairs`)."""
VCARD = "http://www.w3.org/2006/vcard/ns#"
