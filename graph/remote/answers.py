"""A query's answer from an engine psikg does not run, read as it comes: as pyoxigraph's
results for the commands (``psikg query`` writes them as they are parsed), or as bytes in
the format a route asked for (``psikg serve``'s ``/sparql``), in bounded memory either way.

What is known before the body (the engine's row cap, its time limit) was checked when the
query was sent (:meth:`graph.remote.store.RemoteStore.open_query`). Two answers are still
read whole, as both are small: an ``ASK`` sent as a one-row ``SELECT``
(:mod:`graph.remote.ask`), and one whose ``LIMIT`` psikg lowered to what the engine sorts
(:mod:`graph.remote.limits`: at most that many rows, counted before a byte is given).
"""

from __future__ import annotations

from collections.abc import Generator
from collections.abc import Iterable
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any

import pyoxigraph as ox

from graph.engine.client import Deadline
from graph.engine.client import Response
from graph.errors import StoreError
from graph.remote.ask import boolean_results
from graph.remote.limits import Sent
from graph.remote.limits import check_lowered
from graph.remote.streams import solutions_as
from graph.remote.streams import triples_as
from graph.remote.streams import triples_from
from graph.remote.streams import xml_reader

NTRIPLES = ox.RdfFormat.N_TRIPLES


@dataclass
class OpenAnswer:
    """An engine's answer whose headers were read and checked: its body on the wire.

    ``graph_form``: a CONSTRUCT or DESCRIBE (N-Triples); ``by_select``: an ``ASK`` asked
    as a ``SELECT`` (JSON results); else SPARQL XML results (:mod:`graph.remote.streams`).
    """

    response: Response | None
    sent: Sent
    graph_form: bool
    by_select: bool
    engine: str
    body: Generator[bytes, None, None] | None = None
    """The body when it is not one response: a graph read page by page (:meth:`paged`)."""

    @classmethod
    def paged(cls, triples: Iterator[ox.Triple], engine: str) -> OpenAnswer:
        """A whole graph read a page at a time (an engine that cuts CONSTRUCT answers
        without saying so: :mod:`graph.remote.constructs`), as N-Triples."""
        return cls(None, Sent(""), True, False, engine, in_batches(triples))

    def chunks(self) -> Iterator[bytes]:
        """The body as it comes; the connection is closed if it is not read to its end.

        :raises graph.engine.client.Deadline: at the deadline (the connection is closed).
        :raises StoreError: if the engine breaks the answer off.
        """
        if self.body is not None:
            yield from self.body
            return
        assert self.response is not None
        if self.by_select:
            yield boolean_results(self.response.read())
            return
        if self.sent.lowered_to is not None:
            yield self._counted(self.response.read())
            return
        try:
            yield from self.response.chunks()
        finally:
            self.response.abandon()  # a no-op once it was read to its end

    def _counted(self, body: bytes) -> bytes:
        """The whole body, if it does not fill the lowered ``LIMIT``."""
        rows = body.count(b"\n") if self.graph_form else body.count(b"<result>")
        check_lowered(self.sent, rows, self.engine)
        return body

    def parsed(self) -> Any:
        """Solutions, a boolean, or triples, parsed as they are iterated.

        :raises StoreError: ``engine-timeout`` at the deadline, while they are iterated.
        """
        chunks = self._in_time()
        if self.graph_form:
            return triples_from(chunks)
        if self.by_select:
            return ox.parse_query_results(b"".join(chunks), format=ox.QueryResultsFormat.JSON)
        return ox.parse_query_results(xml_reader(chunks), format=ox.QueryResultsFormat.XML)

    def _in_time(self) -> Iterator[bytes]:
        """:meth:`chunks`, the deadline a :class:`StoreError` as for the answer's headers
        (:meth:`written` leaves it a :class:`Deadline`: the routes answer 503 on it)."""
        try:
            yield from self.chunks()
        except Deadline:
            raise StoreError(f"the engine at {self.engine} did not finish its answer within "
                             "the timeout", type="engine-timeout") from None

    def written(self, media_type: str) -> tuple[str, Generator[bytes, None, None]]:
        """The answer in the format of ``media_type`` (JSON results, N-Triples if it names
        none), and its media type.

        :raises StoreError: if the engine's answer does not parse (when iterated).
        """
        if self.graph_form:
            fmt = ox.RdfFormat.from_media_type(media_type) or NTRIPLES
            return fmt.media_type, _parsing(triples_as(self.chunks(), fmt), self.engine)
        results = (ox.QueryResultsFormat.from_media_type(media_type)
                   or ox.QueryResultsFormat.JSON)
        if self.by_select:
            found = ox.parse_query_results(b"".join(self.chunks()),
                                           format=ox.QueryResultsFormat.JSON)
            return results.media_type, _parsing(iter([found.serialize(format=results) or b""]),
                                                self.engine)
        return results.media_type, _parsing(solutions_as(self.chunks(), results), self.engine)

    def abandon(self) -> None:
        """Stop reading: the connection to the engine is closed, so that it may stop."""
        if self.body is not None:
            self.body.close()
        if self.response is not None:
            self.response.abandon()


def in_batches(statements: Iterable[ox.Triple | ox.Quad], fmt: ox.RdfFormat = NTRIPLES,
               size: int = 10_000) -> Generator[bytes, None, None]:
    """``statements`` written in ``fmt``, ``size`` at a time (a joinable format:
    :data:`graph.formats.JOINABLE_FORMATS`)."""
    found: Iterator[Any] = iter(statements)
    while batch := list(islice(found, size)):
        yield ox.serialize(batch, format=fmt) or b""


def _parsing(chunks: Iterator[bytes], engine: str) -> Generator[bytes, None, None]:
    """``chunks``, an answer that does not parse being the engine's fault."""
    try:
        yield from chunks
    except (SyntaxError, ValueError) as error:
        raise StoreError(f"the engine at {engine} gave an answer psikg cannot read: {error}",
                         type="engine-error") from None
