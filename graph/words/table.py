"""The shape of a table of words."""

from __future__ import annotations

Table = dict[str, dict[str, str]]
"""Key → language → text."""
