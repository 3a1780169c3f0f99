"""Spreadsheets written for tests: normal ones with XlsxWriter, hostile ones by hand.

Binary fixtures are generated, never committed: each function writes one file
and returns its path.
"""

from __future__ import annotations

import datetime as dt
import os
import zipfile
from collections.abc import Sequence
from pathlib import Path

import xlsxwriter

Grid = Sequence[Sequence[object]]


def write_xlsx(path: Path, rows: Grid, sheet: str = "Subsides",
               merge: Sequence[tuple[int, int, int, int, str]] = ()) -> Path:
    """An ``.xlsx`` with one sheet: strings, numbers, dates, booleans, and error cells.

    A value ``("#REF!",)`` (a one-tuple) writes an error cell, as Excel leaves a
    broken formula; every string is written as text, never as a formula.
    """
    workbook = xlsxwriter.Workbook(str(path))
    sheet_ = workbook.add_worksheet(sheet)
    date_format = workbook.add_format({"num_format": "dd/mm/yyyy"})
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, tuple):
                sheet_.write_formula(r, c, "=#REF!+1", None, value[0])
            elif isinstance(value, dt.date):
                sheet_.write_datetime(r, c, dt.datetime.combine(value, dt.time()), date_format)
            elif isinstance(value, bool):
                sheet_.write_boolean(r, c, value)
            elif isinstance(value, int | float):
                sheet_.write_number(r, c, value)
            else:
                sheet_.write_string(r, c, str(value))
    for r0, c0, r1, c1, text in merge:
        sheet_.merge_range(r0, c0, r1, c1, text)
    workbook.close()
    return path


def write_zip_bomb(path: Path, megabytes: int = 48) -> Path:
    """An ``.xlsx``-named zip whose sheet expands about a thousand times (zeros)."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            block = b"\0" * (1 << 20)
            for _ in range(megabytes):
                member.write(block)
    return path


def write_huge_cell_xlsx(path: Path, megabytes: int = 100,
                         header: Sequence[object] = ("Bénéficiaire", "Montant")) -> Path:
    """A valid ``.xlsx`` whose one shared string is ``megabytes`` MB of random letters.

    Excel cannot write such a cell (it stops at 32,767 characters), so the file is
    XlsxWriter's output with its shared-strings part replaced.
    """
    small = path.with_suffix(".small.xlsx")
    write_xlsx(small, [list(header), ["PLACEHOLDER", *([1] * (len(header) - 1))]])
    alphabet = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    noise = bytes(alphabet[b % len(alphabet)] for b in os.urandom(1 << 20))
    with zipfile.ZipFile(small) as source, zipfile.ZipFile(
            path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename != "xl/sharedStrings.xml":
                target.writestr(item, data)
                continue
            head, tail = data.split(b"PLACEHOLDER")
            with target.open(item.filename, "w") as member:
                member.write(head)
                for _ in range(megabytes):
                    member.write(noise)
                member.write(tail)
    small.unlink()
    return path
