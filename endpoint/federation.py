"""Which remote endpoints a request may make the engine call: ``SERVICE`` clauses, read
from the text the engine will run (:mod:`graph.sparql_service`), must be under one of the
operator's allowed prefixes (``--service-allow``; none by default, so federation is off).
"""

from __future__ import annotations

from endpoint.errors import bad_request
from graph.settings import Settings
from graph.sparql_service import refused_endpoints


def check_services(text: str, settings: Settings) -> None:
    """:raises HttpError: 400 naming the first ``SERVICE`` endpoint that is not allowed."""
    refused = refused_endpoints(text, settings.service_allow)
    if refused:
        allowed = ", ".join(settings.service_allow) or "none (federation is off)"
        raise bad_request(f"SERVICE {refused[0]} is not allowed here; allowed endpoint "
                          f"prefixes: {allowed}", type="service-not-allowed", value=refused[0])
