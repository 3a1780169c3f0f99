"""psikg's own table readers and datatype formats, registered with the CSVW engine on import.

The engine (:mod:`loaders.csvw`) knows CSV and the CSVW datatypes; the
spreadsheet reader (:mod:`loaders.excel`), the Belgian formats
(:mod:`loaders.belgian`) and the CPV format (:mod:`loaders.cpv`) register
themselves when imported. Importing this module imports them all: whatever
converts registries (``psikg load``, ``psikg convert``) imports it once.
"""

from __future__ import annotations

import loaders.belgian
import loaders.cpv
import loaders.excel

REGISTERED = (loaders.belgian.__name__, loaders.cpv.__name__, loaders.excel.__name__)
"""The modules whose readers and formats are now registered."""
