"""RDF documents fetched from a URL a user gave, for the validation service (``/validate``).

Every such fetch goes through the one fetch policy (:mod:`loaders.http_fetch`): http(s)
only, no loopback or private address unless the policy allows it, every redirect checked,
a deadline and a size limit. The document's syntax is its ``Content-Type``, else the
extension of the URL's path (:func:`graph.validation.documents.document_format`); a JSON-LD
document's remote ``@context`` is never fetched (its parse refuses it).
"""

from __future__ import annotations

from dataclasses import replace

from graph.settings import Settings
from graph.validation.documents import Document
from graph.validation.documents import document_format
from loaders.harvest.fetch import RDF_ACCEPT
from loaders.http_fetch.client import fetch
from loaders.http_fetch.policy import FetchPolicy


def validation_policy(settings: Settings) -> FetchPolicy:
    """The fetch policy of ``/validate``: the settings' size and time limits, private
    addresses only if ``allow_private_addresses``."""
    return FetchPolicy(allow_private=settings.allow_private_addresses,
                       timeout_s=min(30.0, settings.validate_timeout_s),
                       deadline_s=settings.validate_timeout_s,
                       max_bytes=settings.validate_max_bytes)


def fetch_document(url: str, max_bytes: int, policy: FetchPolicy) -> Document:
    """The RDF document at ``url``, at most ``max_bytes`` long.

    :raises FetchError: ``bad-url``, ``private-address``, ``dns``, ``connection``,
        ``timeout``, ``too-large``, ``too-many-redirects`` or ``http-status``.
    :raises UsageError: if its ``Content-Type`` is not an RDF syntax.
    """
    response = fetch(url, replace(policy, max_bytes=min(max_bytes, policy.max_bytes)),
                     headers={"Accept": RDF_ACCEPT}).require_ok()
    fmt = document_format(response.header("content-type"), response.url)
    return Document(response.body, fmt, url, response.url)
