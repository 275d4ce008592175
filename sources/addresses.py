"""Which IP addresses a user's link may reach: an explicit deny list, and the test allow-list.

Python's `is_private` / `is_global` have gaps on 3.11 (CGNAT, some IPv6 ranges), so the list
below is explicit; `is_global` is consulted too, as a second net.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sources.config import DEFAULT_PORTS

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

# (network, why it is refused). Reasons are for logs and tests, never shown with the address.
BLOCKED_NETWORKS: tuple[tuple[IPNetwork, str], ...] = tuple(
    (ipaddress.ip_network(net), reason)
    for net, reason in (
        ("0.0.0.0/8", "this-network"),
        ("10.0.0.0/8", "private"),
        ("100.64.0.0/10", "carrier-grade NAT"),
        ("127.0.0.0/8", "loopback"),
        ("169.254.0.0/16", "link-local (cloud metadata)"),
        ("172.16.0.0/12", "private"),
        ("192.0.0.0/24", "IETF protocol assignments"),
        ("192.0.2.0/24", "documentation"),
        ("192.88.99.0/24", "6to4 relay anycast"),
        ("192.168.0.0/16", "private"),
        ("198.18.0.0/15", "benchmarking"),
        ("198.51.100.0/24", "documentation"),
        ("203.0.113.0/24", "documentation"),
        ("224.0.0.0/4", "multicast"),
        ("240.0.0.0/4", "reserved"),
        ("255.255.255.255/32", "broadcast"),
        ("::/128", "unspecified"),
        ("::1/128", "loopback"),
        ("::/96", "IPv4-compatible"),
        ("::ffff:0:0/96", "IPv4-mapped"),
        ("64:ff9b::/96", "NAT64"),
        ("64:ff9b:1::/48", "local NAT64"),
        ("100::/64", "discard-only"),
        ("2001::/32", "Teredo"),
        ("2001:10::/28", "ORCHID"),
        ("2001:20::/28", "ORCHIDv2"),
        ("2001:db8::/32", "documentation"),
        ("2002::/16", "6to4"),
        ("fc00::/7", "unique local"),
        ("fe80::/10", "link-local"),
        ("fec0::/10", "site-local"),
        ("ff00::/8", "multicast"),
    )
)


def parse_ip(text: str) -> IPAddress | None:
    """The address written in `text` (brackets and an IPv6 zone are dropped), or None."""
    text = text.strip().strip("[]").split("%", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def blocked_reason(ip: IPAddress) -> str | None:
    """Why a link may not reach `ip`, or None when it is an ordinary public address."""
    for network, reason in BLOCKED_NETWORKS:
        if ip.version == network.version and ip in network:
            return reason
    if not ip.is_global:
        return "not globally routable"
    return None


@dataclass(frozen=True, slots=True)
class AllowList:
    """Host names and networks exempt from the deny list (tests and local use only)."""

    hosts: frozenset[str] = frozenset()
    networks: tuple[IPNetwork, ...] = ()

    @classmethod
    def parse(cls, entries: Iterable[str]) -> AllowList:
        hosts: set[str] = set()
        networks: list[IPNetwork] = []
        for entry in entries:
            entry = entry.strip().lower()
            if not entry:
                continue
            try:
                networks.append(ipaddress.ip_network(entry.strip("[]"), strict=False))
            except ValueError:
                hosts.add(entry.rstrip("."))
        return cls(frozenset(hosts), tuple(networks))

    def __bool__(self) -> bool:
        return bool(self.hosts or self.networks)

    def allows_host(self, host: str) -> bool:
        """The host is named in the list, or is an address inside a listed network."""
        if host.lower().rstrip(".") in self.hosts:
            return True
        ip = parse_ip(host)
        return ip is not None and self.allows_ip(ip)

    def allows_ip(self, ip: IPAddress) -> bool:
        return any(ip.version == net.version and ip in net for net in self.networks)


class BlockedAddressError(Exception):
    """A connection was about to reach an address the deny list refuses."""

    def __init__(
        self,
        message: str,
        *,
        code: str = "blocked_address",
        reason: str | None = None,
        params: dict[str, str | int] | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.reason = reason  # as in `sources.model.FetchError`
        self.params = params or {}


def check_addresses(host: str, port: int, addresses: Sequence[str], allow: AllowList) -> list[str]:
    """The addresses of `host` that may be contacted, or BlockedAddressError.

    Refuses when ANY address is blocked: a name with one public and one private address
    is a classic DNS-rebinding setup, and we do not get to choose which one answers.
    """
    if not addresses:
        raise BlockedAddressError(
            "The site's address could not be found.", code="dns", reason="dns"
        )
    named = allow.allows_host(host)
    parsed: list[IPAddress] = []
    for text in addresses:
        ip = parse_ip(text)
        if ip is None:
            raise BlockedAddressError(
                "The site resolved to something that is not an address.", reason="bad_address"
            )
        if not named and not allow.allows_ip(ip) and blocked_reason(ip) is not None:
            raise BlockedAddressError(
                "That link points to a private or reserved network address, which I never open.",
                reason="blocked_address",
            )
        parsed.append(ip)
    exempt = named or all(allow.allows_ip(ip) for ip in parsed)
    if port not in DEFAULT_PORTS and not exempt:
        raise BlockedAddressError(
            f"I only open links on the usual web ports (80 and 443), not {port}.",
            code="bad_port",
            reason="bad_port",
            params={"port": port},
        )
    return [str(ip) for ip in parsed]
