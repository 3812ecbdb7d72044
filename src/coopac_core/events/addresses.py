"""Where a webhook may go: the outside only. A URL is https (plain http by a setting, for
development) and its host resolves to no loopback, private, link-local, unique-local,
multicast, reserved or unspecified address, checked when it is registered and again at each
connection, on the address actually connected to (so that a name that resolves elsewhere
later, DNS rebinding, is refused too). Networks a setting exempts (a receiver on this
machine, in development) pass.

``resolver`` is the one place names are resolved: tests replace it with a stub and never
send traffic to such addresses."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import urlsplit

import httpcore
import httpx

from coopac_core.config import Settings
from coopac_core.events.errors import WebhookUrlInvalid, WebhookUrlNotAllowed

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Resolver = Callable[[str, int], list[str]]


def system_resolver(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to, in the resolver's order (``2130706433`` and
    other spellings of an address resolve to it)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


resolver: Resolver = system_resolver


def resolve(host: str, port: int) -> list[str]:
    return resolver(host, port)


def allowed_networks(settings: Settings) -> list[Network]:
    return [
        ipaddress.ip_network(n.strip(), strict=False)
        for n in settings.webhook_allowed_networks.split(",")
        if n.strip()
    ]


def inside(address: str, exempt: Sequence[Network] = ()) -> bool:
    """Whether ``address`` is not on the public internet (and no exempted network)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if any(ip in n for n in exempt if n.version == ip.version):
        return False
    return not ip.is_global or ip.is_multicast or ip.is_unspecified or ip.is_reserved


def check_url(url: str, settings: Settings) -> str:
    """The URL as registered, or the refusal: malformed (``webhook_url_invalid``), or not
    the outside (``webhook_url_not_allowed``)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise WebhookUrlInvalid(reason="debe empezar con https://")
    if not parts.hostname:
        raise WebhookUrlInvalid(reason="falta el servidor")
    if parts.username or parts.password:
        raise WebhookUrlInvalid(reason="no lleve credenciales en la URL; la firma autentica")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise WebhookUrlInvalid(reason="puerto inválido") from None
    if parts.scheme == "http" and not settings.webhook_allow_http:
        raise WebhookUrlNotAllowed(reason="solo https: los eventos llevan datos de socios")
    try:
        addresses = resolve(parts.hostname, port)
    except (OSError, UnicodeError):
        raise WebhookUrlNotAllowed(reason=f"{parts.hostname} no resuelve a una dirección") from None
    exempt = allowed_networks(settings)
    if not addresses or any(inside(a, exempt) for a in addresses):
        raise WebhookUrlNotAllowed(
            reason=f"{parts.hostname} resuelve a una dirección interna (local, privada o "
            "reservada): un webhook va a un servidor en internet"
        )
    return url


class AddressNotAllowed(httpcore.ConnectError):
    """The host resolved, at the time of connecting, to an address a webhook may not
    reach: refused before any connection."""


class GuardedBackend(httpcore.SyncBackend):
    """Connects to an address it checked, never to what a second lookup would give."""

    def __init__(self, exempt: Sequence[Network]) -> None:
        self.exempt = list(exempt)

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Any = None,
    ) -> httpcore.NetworkStream:
        try:
            addresses = resolve(host, port)
        except OSError as exc:
            raise httpcore.ConnectError(str(exc)) from exc
        if not addresses or any(inside(a, self.exempt) for a in addresses):
            raise AddressNotAllowed("address not allowed")
        return super().connect_tcp(
            addresses[0], port, timeout, local_address, socket_options=socket_options
        )


def guarded_client(settings: Settings) -> httpx.Client:
    """An HTTP client whose every connection goes through ``GuardedBackend``. TLS still
    verifies the URL's host name: only the address connected to is pinned."""
    transport = httpx.HTTPTransport()
    # httpx builds its connection pool without a way to pass the network backend: the
    # pool is replaced by one like it that has it
    transport._pool = httpcore.ConnectionPool(
        ssl_context=transport._pool._ssl_context,
        network_backend=GuardedBackend(allowed_networks(settings)),
    )
    return httpx.Client(
        transport=transport,
        timeout=settings.webhook_timeout_seconds,
        follow_redirects=False,
        trust_env=False,
    )
