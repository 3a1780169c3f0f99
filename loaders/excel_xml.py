"""The error cells of an ``.xlsx`` sheet, read from its XML because calamine drops them.

python-calamine returns an error cell (``#REF!``, ``#N/A``) as an empty string
(python-calamine issue #105, open), so a broken formula would look like an
empty cell. An ``.xlsx`` writes an error cell as ``<c r="D14" t="e">…<v>#REF!</v></c>``:
this module finds the sheet's part through the workbook's relationships,
scans its bytes for ``t="e"`` (most sheets have none, and the scan is a byte
search) and only then parses the XML to read where the errors are.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from pathlib import Path
from typing import IO
from xml.etree import ElementTree

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_REF = re.compile(r"^([A-Z]+)(\d+)$")
_MARKER = b't="e"'
_CHUNK = 1 << 20


def error_cells(path: Path, sheet: str) -> dict[tuple[int, int], str]:
    """Error cells of one sheet, as ``(row, column)`` (0-based) → the error text.

    An unreadable workbook structure gives no errors: calamine has read the
    sheet already, and this is a refinement of what it read.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            part = _sheet_part(archive, sheet)
            if part is None or not _has_marker(archive, part):
                return {}
            with archive.open(part) as stream:
                return _parse(stream)
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError):
        return {}


def _sheet_part(archive: zipfile.ZipFile, sheet: str) -> str | None:
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rel_id = None
    for element in workbook.iter(f"{_MAIN}sheet"):
        if element.get("name") == sheet:
            rel_id = element.get(f"{_REL}id")
    if rel_id is None:
        return None
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    for rel in rels.iter(f"{_PKG_REL}Relationship"):
        if rel.get("Id") == rel_id:
            target = rel.get("Target", "")
            if target.startswith("/"):
                return target.lstrip("/")
            return posixpath.normpath(posixpath.join("xl", target))
    return None


def _has_marker(archive: zipfile.ZipFile, part: str) -> bool:
    tail = b""
    with archive.open(part) as stream:
        while chunk := stream.read(_CHUNK):
            if _MARKER in tail + chunk[: len(_MARKER)] or _MARKER in chunk:
                return True
            tail = chunk[-len(_MARKER):]
    return False


def _parse(stream: IO[bytes]) -> dict[tuple[int, int], str]:
    found: dict[tuple[int, int], str] = {}
    for _, element in ElementTree.iterparse(stream, events=("end",)):
        if element.tag != f"{_MAIN}c":
            if element.tag == f"{_MAIN}row":
                element.clear()
            continue
        if element.get("t") == "e":
            match = _REF.match(element.get("r", ""))
            value = element.find(f"{_MAIN}v")
            if match is not None:
                found[(int(match.group(2)) - 1, _column_index(match.group(1)))] = (
                    value.text if value is not None and value.text else "#ERROR")
    return found


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1
