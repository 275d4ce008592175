"""The deny list, address by address, and the allow-list parsing."""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sources.addresses import (
    BLOCKED_NETWORKS,
    AllowList,
    BlockedAddressError,
    blocked_reason,
    check_addresses,
)
from sources.config import allowed_private_hosts_from_env


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("100.64.0.1", "carrier-grade NAT"),  # is_private misses it on 3.11
        ("100.127.255.254", "carrier-grade NAT"),
        ("169.254.169.254", "link-local (cloud metadata)"),
        ("224.0.0.251", "multicast"),
        ("0.1.2.3", "this-network"),
        ("240.1.1.1", "reserved"),
        ("::ffff:8.8.8.8", "IPv4-mapped"),  # even a public IPv4 inside: never dial mapped forms
        ("2002:c000:0204::1", "6to4"),
        ("2001::1", "Teredo"),
        ("64:ff9b::8.8.8.8", "NAT64"),
        ("fd00::1", "unique local"),
        ("fe80::1", "link-local"),
        ("::", "unspecified"),
        ("::1", "loopback"),
    ],
)
def test_each_special_range_is_refused(address: str, reason: str) -> None:
    assert blocked_reason(ipaddress.ip_address(address)) == reason


@pytest.mark.parametrize(
    "address", ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "2a00:1450:4001:80b::200e"]
)
def test_public_addresses_pass(address: str) -> None:
    assert blocked_reason(ipaddress.ip_address(address)) is None


@settings(deadline=None)  # a loaded machine must not fail a property
@given(st.data())
def test_every_address_of_every_blocked_network_is_refused(data: st.DataObject) -> None:
    network, _ = data.draw(st.sampled_from(BLOCKED_NETWORKS))
    offset = data.draw(st.integers(min_value=0, max_value=network.num_addresses - 1))
    assert blocked_reason(network[offset]) is not None


@settings(deadline=None)  # a loaded machine must not fail a property
@given(st.ip_addresses())
def test_any_address_either_passes_or_has_a_reason(
    ip: ipaddress.IPv4Address | ipaddress.IPv6Address,
) -> None:
    reason = blocked_reason(ip)
    assert reason is None or isinstance(reason, str)
    if reason is None:
        assert ip.is_global


def test_allow_list_parses_hosts_and_networks() -> None:
    allow = AllowList.parse(["127.0.0.1", " localhost ", "10.0.0.0/8", "[::1]", ""])
    assert allow.allows_host("LOCALHOST") and allow.allows_host("127.0.0.1")
    assert allow.allows_host("10.9.8.7") and allow.allows_host("::1")
    assert not allow.allows_host("192.168.0.1") and not allow.allows_host("example.com")
    assert not AllowList.parse([])


def test_env_setting_is_empty_by_default() -> None:
    assert allowed_private_hosts_from_env({}) == ()
    env = {"BRIEFBOT_ALLOW_PRIVATE_HOSTS": " 127.0.0.1, ,localhost "}
    assert allowed_private_hosts_from_env(env) == ("127.0.0.1", "localhost")


def test_one_private_address_among_public_ones_refuses_the_host() -> None:
    with pytest.raises(BlockedAddressError):
        check_addresses("rebind.example", 443, ["8.8.8.8", "10.0.0.1"], AllowList())
    assert check_addresses("ok.example", 443, ["8.8.8.8"], AllowList()) == ["8.8.8.8"]


def test_odd_ports_need_an_allow_listed_host() -> None:
    with pytest.raises(BlockedAddressError) as caught:
        check_addresses("ok.example", 8080, ["8.8.8.8"], AllowList())
    assert caught.value.code == "bad_port"
    allow = AllowList.parse(["127.0.0.1"])
    assert check_addresses("127.0.0.1", 8080, ["127.0.0.1"], allow) == ["127.0.0.1"]
    with pytest.raises(BlockedAddressError):  # the allow-list is no blanket pass
        check_addresses("other.example", 8080, ["10.0.0.1"], allow)
