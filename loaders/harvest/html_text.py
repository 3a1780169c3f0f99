"""Text from descriptions that portals publish as escaped or literal HTML.

``html.unescape`` then :class:`html.parser.HTMLParser` from the standard library: a
description is short, and only the tags portals use are turned into text, so that an
IRI written ``<http://…>`` in a SPARQL example stays as it is.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

HTML_TAGS = r"<(p|br|div|span|a|ul|ol|li|strong|em|b|i|h[1-6])[\s/>]"
_BLOCK_TAGS = {"p", "br", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr"}
_INLINE_TAGS = {"span", "a", "strong", "em", "b", "i", "u", "small", "sup", "sub", "td", "th",
                "table", "tbody", "thead", "code", "pre", "blockquote", "font"}


class _TextOnly(HTMLParser):
    """Keeps text; block tags become line breaks; unknown ``<…>`` (an IRI in text) stays."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")
        elif tag not in _INLINE_TAGS:
            self.parts.append(self.get_starttag_text() or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")
        elif tag not in _INLINE_TAGS:
            self.parts.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_to_text(text: str) -> str:
    """Text of a description that holds escaped or literal HTML.

    >>> html_to_text("&lt;p&gt;Budget &amp;amp; comptes&lt;/p&gt;")
    'Budget & comptes'
    >>> html_to_text("PREFIX dct: &lt;http://purl.org/dc/terms/&gt;")
    'PREFIX dct: <http://purl.org/dc/terms/>'
    """
    unescaped = html.unescape(text)
    if not re.search(HTML_TAGS, unescaped, re.I):
        return html.unescape(unescaped) if "&" in unescaped else unescaped
    parser = _TextOnly()
    parser.feed(unescaped)
    parser.close()
    joined = "".join(parser.parts)
    return re.sub(r"\n{3,}", "\n\n", re.sub(r"[ \t]+\n", "\n", joined)).strip()
