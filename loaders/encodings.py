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
3. the sample is decoded strictly with the choice, and the reader decodes the rest
   strictly as it goes (the file is decoded once): a bad byte anywhere is reported with
   its line and column (:func:`decoding_error`) rather than turned into a replacement
   character that would reach the store.

Any other encoding is refused with a clear message that names
charset-normalizer's best guess and how to declare it (``"encoding"`` in
the dialect): a registry whose accents were destroyed on the way must fail
clearly, never load silently garbled.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from charset_normalizer import from_bytes

from graph.errors import InputError

SAMPLE_BYTES = 1 << 20
"""How much of the file charset-normalizer looks at."""
_CHUNK = 1 << 20
_GUESS_BYTES = 1 << 12
"""Bytes on each side of a bad byte that charset-normalizer guesses the encoding from."""
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
    """The encoding to read ``path`` with, checked against its first :data:`SAMPLE_BYTES`
    (the reader checks the rest as it decodes it, :func:`decoding_error`).

    :param declared: the dialect's ``encoding``, if the metadata sets one.
    :raises InputError: ``unknown-encoding`` if ``declared`` is not an encoding;
        ``encoding`` if the sample is neither UTF-8 nor Windows-1252, or does not decode
        with the declared encoding (with the line and column of the first bad byte).
    """
    with path.open("rb") as stream:
        sample = stream.read(SAMPLE_BYTES)
    if declared:
        try:
            name = codecs.lookup(declared).name
        except LookupError:
            raise InputError(f"the dialect's encoding {declared!r} is not a known encoding; "
                             "use utf-8 or windows-1252", type="unknown-encoding",
                             file=str(path), value=declared) from None
        if name == "utf-8" and sample.startswith(_BOM):
            name = "utf-8-sig"
        check_decodes(path, name, sample)
        return Encoding(name, "declared")
    if sample.startswith(_BOM):
        check_decodes(path, "utf-8-sig", sample)
        return Encoding("utf-8-sig", "bom")
    if sample.isascii():
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
    """Decode ``sample`` (the file's first bytes), or else the whole file, strictly.

    :raises InputError: ``encoding`` at the first byte that does not decode.
    """
    decoder = codecs.getincrementaldecoder(name)(errors="strict")
    line = 1
    for chunk, final in _pieces(path, sample):
        try:
            text = decoder.decode(chunk, final=final)
        except UnicodeDecodeError as error:
            before = chunk[: error.start]
            line += before.count(b"\n")
            column = error.start - (before.rfind(b"\n") + 1) + 1
            around = chunk[max(error.start - _GUESS_BYTES, 0): error.end + _GUESS_BYTES]
            raise _bad_byte(path, name, chunk[error.start:error.end], line, column,
                            around) from None
        line += text.count("\n")


def _pieces(path: Path, sample: bytes | None) -> Iterator[tuple[bytes, bool]]:
    """The bytes to decode, each with whether it ends the text: the sample (whole when the
    file is shorter), else the file in chunks."""
    if sample is not None:
        yield sample, len(sample) < SAMPLE_BYTES
        return
    with path.open("rb") as stream:
        while chunk := stream.read(_CHUNK):
            yield chunk, False
    yield b"", True


def decoding_error(path: Path, name: str) -> InputError:
    """The error to give when the reader meets bytes that ``name`` cannot decode: the first
    bad byte, found again with its line and column (a text stream's error knows neither)."""
    try:
        check_decodes(path, name)
    except InputError as error:
        return error
    return InputError(f"{path.name} does not decode as {name}", type="encoding",
                      file=str(path), expected="UTF-8 or Windows-1252 text")


def _bad_byte(path: Path, name: str, bad: bytes, line: int, column: int,
              around: bytes) -> InputError:
    """The error for ``bad``, with charset-normalizer's guess from the bytes ``around`` it
    (the start of the file may well be plain ASCII)."""
    shown = "utf-8" if name == "utf-8-sig" else name
    match = from_bytes(around, cp_isolation=list(_ACCEPTED)).best()
    guess = ""
    if match is not None and match.encoding not in (shown.replace("-", "_"), "utf_8", "ascii"):
        guess = f" (charset-normalizer guesses {match.encoding})"
    return InputError(
        f"byte {bad.hex(' ').upper()} is not {shown}{guess}: the file's encoding is wrong or "
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
