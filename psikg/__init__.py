"""The psikg command line: it wires ``graph``, ``loaders`` and ``endpoint``; it computes nothing."""

from importlib.metadata import version

__version__ = version("psikg")
