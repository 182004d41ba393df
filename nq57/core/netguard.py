"""Where the server may send data on a user's behalf (webhooks): public internet addresses only.

A webhook URL is checked when it is subscribed and again before every delivery, after DNS resolution, so no spelling
of a private destination gets through: ``localhost``, ``127.1``, ``0x7f000001``, ``2130706433``, ``[::1]``,
``[::ffff:127.0.0.1]``, the cloud metadata address 169.254.169.254, 10.x/172.16–31.x/192.168.x, a host name whose DNS
answer is private. Redirects are not followed by the sender. ``WEBHOOK_ALLOW_PRIVATE`` (off by default; on in the
test settings, whose receiver listens on 127.0.0.1) lifts the rule.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings

from nq57.core.errors import ServiceError

REFUSED = ("Địa chỉ nhận “{host}” trỏ tới mạng nội bộ hoặc địa chỉ đặc biệt ({address}); chỉ gửi tới địa chỉ "
           "Internet công khai.")


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def destination_check(url: str, *, field: str = "url") -> None:
    """Raise ServiceError (Vietnamese) unless every address *url*'s host resolves to is a public one."""
    if getattr(settings, "WEBHOOK_ALLOW_PRIVATE", False):
        return
    parts = urlsplit(url)
    host = parts.hostname or ""
    if not host:
        raise ServiceError("Địa chỉ nhận thiếu tên máy chủ.", field=field)
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, ValueError) as exc:
        raise ServiceError(f"Không phân giải được tên máy chủ “{host}”.", field=field) from exc
    for *_, sockaddr in answers:
        if not _is_public(sockaddr[0]):
            raise ServiceError(REFUSED.format(host=host, address=sockaddr[0]), field=field)
