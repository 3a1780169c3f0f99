"""The store, its named graphs and their validation.

``graph`` is the stage every other package builds on: ``loaders`` and
``endpoint`` import it, and it imports neither of them.
"""
