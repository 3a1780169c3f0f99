"""The fetch policy on its own: which URLs may be reached, and where the connection goes."""

from __future__ import annotations

import pytest

from loaders.http_fetch.policy import FetchError
from loaders.http_fetch.policy import FetchPolicy
from loaders.http_fetch.policy import checked_target


@pytest.mark.parametrize("url", ["ftp://portal.example/catalog.ttl", "file:///etc/passwd",
                                 "http:///no-host", "http://portal.example:99999/"])
def test_only_http_urls_with_a_host_and_a_port_may_be_fetched(url: str) -> None:
    with pytest.raises(FetchError) as raised:
        checked_target(url, FetchPolicy())
    assert raised.value.type == "bad-url"


@pytest.mark.parametrize("url", ["http://127.0.0.1:8080/", "http://[::1]/",
                                 "http://169.254.169.254/latest/meta-data/",
                                 "http://10.0.0.1/", "http://[::ffff:192.168.1.1]/"])
def test_loopback_private_and_link_local_addresses_are_refused(url: str) -> None:
    with pytest.raises(FetchError) as raised:
        checked_target(url, FetchPolicy())
    assert raised.value.type == "private-address"


def test_an_allowed_network_is_reached_at_the_checked_address() -> None:
    policy = FetchPolicy(allowed_networks=("127.0.0.0/8",))
    target = checked_target("http://127.0.0.2:8080/sparql?query=ASK%7B%7D", policy)
    assert (target.address, target.port, target.path) == ("127.0.0.2", 8080,
                                                          "/sparql?query=ASK%7B%7D")
    assert target.host_header == "127.0.0.2:8080"
    with pytest.raises(FetchError) as raised:
        checked_target("http://10.0.0.1/", policy)
    assert raised.value.type == "private-address" and raised.value.value == "10.0.0.1"


def test_allow_private_lifts_the_refusal() -> None:
    target = checked_target("https://[::1]/catalog", FetchPolicy(allow_private=True))
    assert (target.address, target.port, target.host_header) == ("::1", 443, "[::1]")
