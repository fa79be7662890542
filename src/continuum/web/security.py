"""Security headers Django does not set itself, and one-line logs of refused requests."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control


class ContentSecurityPolicyMiddleware:
    """Adds the Content-Security-Policy and Permissions-Policy headers to every response.

    The pages load scripts and styles only from this site (htmx is vendored), so the policy
    allows no inline script at all.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"
        )
        return response


class PrivateCacheMiddleware:
    """Marks every response to a signed-in user ``Cache-Control: private, no-store``, so that
    neither a shared proxy nor the browser's disk keeps a page or an export of scoped data.

    It sits after the authentication middleware; static files never reach it (WhiteNoise,
    earlier in the chain, answers them first), so they stay cacheable.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        signed_in = request.user.is_authenticated
        response = self.get_response(request)
        # Checked before the view as well: signing out ends the session during the request,
        # and the page answering it still showed the signed-in user's data.
        if signed_in or request.user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response


class RefusedRequestLogFilter(logging.Filter):
    """Turns django.request's record of a 4xx answer into one line: method, path (without the
    query string, which may carry search terms), status and the user's id; no traceback.

    A 403 or 404 is an ordinary answer (a link out of scope, a mistyped address); its traceback
    would fill the log and could quote personal data from the request.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        request = getattr(record, "request", None)
        if not isinstance(status, int) or not 400 <= status < 500 or request is None:
            return True
        user = getattr(request, "user", None)
        user_id = user.pk if user is not None and user.is_authenticated else "-"
        record.msg = "%s %s %s user=%s"
        record.args = (request.method, request.path[:200], status, user_id)
        record.exc_info = None
        record.exc_text = None
        record.stack_info = None
        return True
