"""Who is on the other end of a request: the client's address, as the proxies in front report it.

One function for every use (sign-in lockout, the audit trail), so that they never disagree."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from ipware.ip import get_client_ip


def client_address(request: HttpRequest) -> str:
    """The client's IP address.

    With no proxy (``CONTINUUM_PROXY_COUNT=0``) it is the connection's own address, and any
    ``X-Forwarded-For`` header is ignored: the client could have written it. Behind N proxies,
    each of which appends the address it received the request from, it is the Nth address from
    the end of ``X-Forwarded-For``; what the client put before that is ignored. A request that
    did not come through the proxies (too short a header) is keyed on its connection address.
    """
    connection = str(request.META.get("REMOTE_ADDR", ""))
    proxies: int = settings.CONTINUUM_PROXY_COUNT
    if proxies == 0:
        return connection
    # ipware counts the proxies whose addresses the header holds: all but the one nearest us.
    forwarded, _ = get_client_ip(
        request,
        proxy_count=proxies - 1,
        request_header_order=["HTTP_X_FORWARDED_FOR"],
        strict=False,
    )
    return forwarded or connection
