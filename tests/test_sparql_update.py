"""One prologue for an update request (graph/sparql_update.py), checked by pyoxigraph: the
rewritten request parses and does what the user's operations, run one by one, do."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from graph.sparql_update import one_prologue

BASE = "http://psikg.example/sparql"


def applied(text: str) -> set[str]:
    """What the rewritten request writes into an empty store, as N-Quads lines."""
    first_line, body = one_prologue(text, BASE)
    store = ox.Store()
    store.update(f"{first_line}\n{body}")
    return {str(quad) for quad in store}


def one_by_one(operations: list[tuple[str, str]]) -> set[str]:
    """What the operations write run one by one, each after every prologue so far (a
    prologue holds for the operations after it)."""
    store = ox.Store()
    prologues = f"BASE <{BASE}>"
    for prologue, operation in operations:
        prologues += "\n" + prologue
        store.update(f"{prologues}\n{operation}")
    return {str(quad) for quad in store}


@pytest.mark.parametrize("operations", [
    [("PREFIX : <http://a/>", "INSERT DATA { :s :p 1 }"),
     ("PREFIX : <http://b/>", "INSERT DATA { :s :p 2 }")],
    [("PREFIX e: <http://a/>", "INSERT DATA { e:s e:p 'x;y' }"),
     ("PREFIX e: <http://a/>", "INSERT DATA { e:t e:p 2 }")],
    [("PREFIX e: <http://a/>", "INSERT DATA { e:s e:p 1 }"),
     ("PREFIX e_2: <http://c/> PREFIX e: <http://b/>", "INSERT DATA { e:s e_2:p 2 }"),
     ("", "INSERT DATA { e:t e_2:p 3 }")],
    [("", "INSERT DATA { <s> <p> 1 }"),
     ("BASE <http://x/> PREFIX r: <r/>", "INSERT DATA { <s> r:p 2 }"),
     ("", "INSERT DATA { <t> <p> 3 }")],
    [("PREFIX e: <http://a/>", "INSERT DATA { GRAPH e:g { e:s e:p 1 ; e:q 2 } }"),
     ("# PREFIX e: <http://no/>\nPREFIX f: <http://f/>",
      "DELETE { GRAPH e:g { ?s e:p ?o } } INSERT { GRAPH e:g { ?s f:p ?o } } "
      "WHERE { GRAPH e:g { ?s e:p ?o } }")],
])
def test_the_rewritten_request_does_what_its_operations_do(
        operations: list[tuple[str, str]]) -> None:
    text = " ;\n".join(f"{prologue}\n{operation}" for prologue, operation in operations)
    assert applied(text) == one_by_one(operations)


def test_without_a_later_prologue_the_text_is_unchanged() -> None:
    text = "PREFIX e: <http://a/> INSERT DATA { e:s e:p 1 } ; DELETE DATA { e:s e:p 1 }"
    assert one_prologue(text, BASE) == (f"BASE <{BASE}>", text)


def test_moved_declarations_keep_every_offset() -> None:
    text = "INSERT DATA { <s> <p> 1 } ;\n  PREFIX e: <http://a/>\n  INSERT DATA { e:s e:p 2 }"
    _, body = one_prologue(text, BASE)
    assert len(body) == len(text)
    assert body.splitlines()[2] == text.splitlines()[2]
