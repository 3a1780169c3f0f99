"""Which text encoding a CSV registry is in: UTF-8, UTF-8 with a BOM, or Windows-1252.

Belgian registries come out of Excel either as UTF-8 (often with a byte-order
mark) or as Windows-1252, the "ANSI" of French and Dutch Windows. CSVW's
dialect has an ``encoding`` (UTF-8 by default); when the metadata does not
set one, psikg detects it:

1. a UTF-8 byte-order mark means UTF-8;
2. else, charset-normalizer chooses between UTF-8 and Windows-1252 on a
   sample (it weighs how plausible the decoded text is, which a plain
   "does it decode" test cannot do: most Windows-1252 bytes also form valid
   but absurd UTF-8 runs, and the reverse);
3. the whole file is then decoded strictly with the choice, in chunks, so a
   bad byte anywhere is reported with its line and column rather than
   turned into a replacement character that would reach the store.

Any other encoding is refused with a clear message that names
charset-normalizer's best guess and how to declare it (``"encoding"`` in
the dialect): a registry whose accents were destroyed on the way must fail
clearly, never load silently garbled.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

from charset_normalizer import from_bytes

from graph.errors import InputError

SAMPLE_BYTES = 1 << 20
"""How much of the file charset-normalizer looks at."""
_CHUNK = 1 << 20
_ACCEPTED = {"utf_8": "utf-8", "cp1252": "cp1252"}
_BOM = codecs.BOM_UTF8


@dataclass(frozen=True)
class Encoding:
    """The encoding a file will be read with, and how it was decided."""

    name: str
    """A Python codec name: ``utf-8``, ``utf-8-sig`` or ``cp1252`` (or what the dialect says)."""
    how: str
    """``declared``, ``bom`` or ``detected``."""


def detect_encoding(path: Path, declared: str | None = None) -> Encoding:
    """The encoding to read ``path`` with, checked against the whole file.

    :param declared: the dialect's ``encoding``, if the metadata sets one.
    :raises InputError: ``unknown-encoding`` if ``declared`` is not an encoding;
        ``encoding`` if the file is neither UTF-8 nor Windows-1252, or does not decode
        with the declared encoding (with the line and column of the first bad byte).
    """
    if declared:
        try:
            name = codecs.lookup(declared).name
        except LookupError:
            raise InputError(f"the dialect's encoding {declared!r} is not a known encoding; "
                             "use utf-8 or windows-1252", type="unknown-encoding",
                             file=str(path), value=declared) from None
        if name == "utf-8" and _starts_with_bom(path):
            name = "utf-8-sig"
        check_decodes(path, name)
        return Encoding(name, "declared")
    if _starts_with_bom(path):
        check_decodes(path, "utf-8-sig")
        return Encoding("utf-8-sig", "bom")
    with path.open("rb") as stream:
        sample = stream.read(SAMPLE_BYTES)
    if sample.isascii():
        check_decodes(path, "utf-8")
        return Encoding("utf-8", "detected")
    best = from_bytes(_whole_lines(sample), cp_isolation=list(_ACCEPTED)).best()
    if best is None or best.encoding not in _ACCEPTED:
        raise _unsupported(path, sample)
    name = _ACCEPTED[best.encoding]
    check_decodes(path, name, sample)
    return Encoding(name, "detected")


def _starts_with_bom(path: Path) -> bool:
    with path.open("rb") as stream:
        return stream.read(len(_BOM)) == _BOM


def _whole_lines(sample: bytes) -> bytes:
    """The sample cut after its last line break, so no character is cut in half."""
    if len(sample) < SAMPLE_BYTES:
        return sample
    end = sample.rfind(b"\n")
    return sample[: end + 1] if end > 0 else sample


def check_decodes(path: Path, name: str, sample: bytes | None = None) -> None:
    """Decode the whole file strictly, in chunks.

    :raises InputError: ``encoding`` at the first byte that does not decode.
    """
    decoder = codecs.getincrementaldecoder(name)(errors="strict")
    line, offset = 1, 0
    with path.open("rb") as stream:
        while True:
            chunk = stream.read(_CHUNK)
            try:
                text = decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as error:
                before = chunk[: error.start]
                line += before.count(b"\n")
                column = error.start - (before.rfind(b"\n") + 1) + 1
                if offset == 0 and before.count(b"\n") == 0:
                    column = error.start + 1
                raise _bad_byte(path, name, chunk[error.start:error.end], line, column,
                                sample) from None
            line += text.count("\n")
            offset += len(chunk)
            if not chunk:
                return


def _bad_byte(path: Path, name: str, bad: bytes, line: int, column: int,
              sample: bytes | None) -> InputError:
    guess = ""
    with path.open("rb") as stream:
        match = from_bytes(stream.read(SAMPLE_BYTES)).best()
    if match is not None and match.encoding not in (name.replace("-", "_"), "utf_8"):
        guess = f" (charset-normalizer guesses {match.encoding})"
    return InputError(
        f"byte {bad.hex(' ').upper()} is not {name}{guess}: the file's encoding is wrong or "
        "was damaged on the way; re-export it as UTF-8, or set \"encoding\" in the CSVW "
        "dialect", type="encoding", file=str(path), line=line, column=column,
        value=bad.hex(" ").upper(), expected="UTF-8 or Windows-1252 text")


def _unsupported(path: Path, sample: bytes) -> InputError:
    match = from_bytes(sample).best()
    guess = match.encoding if match is not None else "none that fits"
    return InputError(
        f"{path.name} is neither UTF-8 nor Windows-1252 (charset-normalizer's best guess: "
        f"{guess}); its accents may have been destroyed on the way: re-export it as UTF-8, or "
        "set \"encoding\" in the CSVW dialect if you know it", type="encoding", file=str(path),
        value=guess, expected="UTF-8 or Windows-1252 text")
