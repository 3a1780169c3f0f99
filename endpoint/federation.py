"""What a request may make the engine fetch: the endpoints of ``SERVICE`` clauses and the
documents of ``LOAD`` operations, read from the text the engine will run
(:mod:`graph.sparql_service`), must be under one of the operator's allowed prefixes
(``--service-allow``; none by default, so federation and ``LOAD`` are off).

The engine, not psikg, fetches them, so the allow-list is the whole policy: an operator
who allows a prefix chooses what lies behind it (an intranet store on purpose), as for
``SERVICE``. Whoever holds the update token can reach nothing else, private addresses
included.
"""

from __future__ import annotations

from endpoint.errors import bad_request
from endpoint.errors import forbidden
from graph.settings import Settings
from graph.sparql_service import refused_documents
from graph.sparql_service import refused_endpoints


def check_services(text: str, settings: Settings) -> None:
    """:raises HttpError: 400 naming the first ``SERVICE`` endpoint that is not allowed."""
    refused = refused_endpoints(text, settings.service_allow)
    if refused:
        allowed = ", ".join(settings.service_allow) or "none (federation is off)"
        raise bad_request(f"SERVICE {refused[0]} is not allowed here; allowed endpoint "
                          f"prefixes: {allowed}", type="service-not-allowed", value=refused[0])


def check_loads(update: str, settings: Settings) -> None:
    """:raises HttpError: 403 naming the first ``LOAD`` document that is not allowed."""
    refused = refused_documents(update, settings.service_allow)
    if refused:
        allowed = ", ".join(settings.service_allow) or "none (LOAD is off)"
        raise forbidden(f"LOAD {refused[0]} is not allowed here: the engine reads only "
                        f"documents under the allowed prefixes ({allowed}, --service-allow); "
                        "or send the data with the Graph Store Protocol (PUT /store?graph=…)",
                        type="load-not-allowed")
