"""CPV codes (the EU's Common Procurement Vocabulary) as registries write them.

A registry writes ``45233140-2``: eight digits, a dash and a check digit. The
EU publishes each code as ``http://data.europa.eu/cpv/cpv/45233140``, so the
format ``psikg:cpv`` checks the shape and gives the eight digits, which the
metadata's ``valueUrl`` turns into that IRI. The check digit is not
recomputed: the CPV regulation does not publish its algorithm.
"""

from __future__ import annotations

import re

from loaders.belgian import BelgianFormatError
from loaders.csvw.formats import register_format
from loaders.table_model import CellValue

CPV_EXPECTED = "a CPV code like 45233140-2 (eight digits, a dash, a check digit)"
_CPV = re.compile(r"^(\d{8})(?:-\d)?$")


def parse_cpv(value: CellValue) -> str:
    """The eight digits of a CPV code.

    :raises BelgianFormatError: ``invalid-cpv`` if it is not one.

    >>> parse_cpv("45233140-2"), parse_cpv(72000000)
    ('45233140', '72000000')
    """
    if isinstance(value, int) and not isinstance(value, bool):
        value = f"{value:08d}"
    match = _CPV.match(value.strip()) if isinstance(value, str) else None
    if match is None:
        raise BelgianFormatError(f"{value!r} is not a CPV code", type="invalid-cpv",
                                 expected=CPV_EXPECTED)
    return match.group(1)


register_format("psikg:cpv", parse_cpv)
