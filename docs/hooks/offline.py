"""MkDocs hook: the documentation builds offline, or not at all.

Loaded by mkdocs.yml (``hooks:``), before any plugin runs. From then on, a connection to anything but this
machine raises :class:`OfflineBuildError` and logs a warning, which ``mkdocs build --strict`` turns into a
failed build: a theme option or plugin that downloads fonts, images or inventories is found at once, in CI
too, instead of working only where there is a network. Connections to this machine (``mkdocs serve``'s own
server) and Unix sockets are allowed.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
from typing import Any

log = logging.getLogger("mkdocs.hooks.offline")

_LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", ""}


class OfflineBuildError(OSError):
    """Something in the documentation build tried to use the network."""


def _is_local(host: object) -> bool:
    if not isinstance(host, str):
        return True  # a Unix socket's path (bytes) or an unknown address form: not the internet
    if host.lower() in _LOCAL_NAMES:
        return True
    try:
        address = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def _refuse(what: str) -> OfflineBuildError:
    message = (
        f"the documentation must build offline, but something tried to reach {what}: a theme option or plugin "
        "that downloads from the internet (fonts, social cards, inventories)? Disable it in mkdocs.yml."
    )
    log.warning(message)
    return OfflineBuildError(message)


_connect = socket.socket.connect
_connect_ex = socket.socket.connect_ex
_getaddrinfo = socket.getaddrinfo


def _guarded_connect(self: socket.socket, address: Any) -> None:
    if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_local(address[0]):
        raise _refuse(f"{address[0]}:{address[1]}")
    _connect(self, address)


def _guarded_connect_ex(self: socket.socket, address: Any) -> int:
    if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_local(address[0]):
        raise _refuse(f"{address[0]}:{address[1]}")
    return _connect_ex(self, address)


def _guarded_getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
    name = host.decode() if isinstance(host, bytes) else host
    if name is not None and not _is_local(name):
        raise _refuse(f"{name}:{port}")
    return _getaddrinfo(host, port, *args, **kwargs)


def block_network() -> None:
    """Refuse every connection that leaves this machine, from now on, in this process."""
    socket.socket.connect = _guarded_connect  # type: ignore[method-assign,assignment]
    socket.socket.connect_ex = _guarded_connect_ex  # type: ignore[method-assign,assignment]
    socket.getaddrinfo = _guarded_getaddrinfo


block_network()  # when mkdocs loads this hook, before any plugin's events run


def on_startup(command: str, dirty: bool) -> None:
    """Keep the hook in place across rebuilds of ``mkdocs serve`` (and block again, should anything undo it)."""
    block_network()
