"""Request bodies, read through the body limit.

Werkzeug enforces ``MAX_CONTENT_LENGTH`` when a ``Content-Length`` is sent, but a chunked
body under granian went through whole in our tests. Every view that reads a body uses
:func:`read_body`, which counts what it reads and stops at the limit, so a body of any
length, declared or not, gets a 413 and never more than ``limit + 1`` bytes in memory.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from flask import request
from werkzeug.datastructures import MultiDict

from endpoint.errors import HttpError
from endpoint.errors import bad_request
from endpoint.errors import payload_too_large

CHUNK_BYTES = 1 << 16


def read_body(limit: int) -> bytes:
    """The request body, at most ``limit`` bytes.

    :raises HttpError: 413 if it is longer, 411 if its length cannot be known.
    """
    length = request.content_length
    if length is not None and length > limit:
        raise payload_too_large(limit)
    environ = request.environ
    if length is None and not environ.get("wsgi.input_terminated"):
        raise HttpError(411, "send the body with a Content-Length header",
                        "length-required")
    stream = environ["wsgi.input"]
    budget = min(length, limit + 1) if length is not None else limit + 1
    data = bytearray()
    while len(data) < budget:
        chunk = stream.read(min(CHUNK_BYTES, budget - len(data)))
        if not chunk:
            break
        data += chunk
    if len(data) > limit:
        raise payload_too_large(limit)
    return bytes(data)


def read_form(limit: int) -> MultiDict[str, str]:
    """An ``application/x-www-form-urlencoded`` body, read through the limit.

    :raises HttpError: 413 if it is too long, 400 if it is not UTF-8.
    """
    try:
        text = read_body(limit).decode("utf-8")
    except UnicodeDecodeError:
        raise bad_request("the form is not UTF-8", type="encoding") from None
    return MultiDict(parse_qsl(text, keep_blank_values=True))


def read_text(limit: int) -> str:
    """A body that must be UTF-8 text (a query, an update).

    :raises HttpError: 413 if it is too long, 400 if it is not UTF-8.
    """
    try:
        return read_body(limit).decode("utf-8")
    except UnicodeDecodeError:
        raise bad_request("the request body is not UTF-8", type="encoding") from None
