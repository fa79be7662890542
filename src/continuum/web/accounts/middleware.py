"""Two-factor sign-in for the roles that need it (county administrators)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from continuum.web.accounts.two_factor import needs_two_factor


class TwoFactorRequiredMiddleware:
    """Sends a signed-in user whose role requires two factors to the TOTP page until their
    session is verified; only that page, sign-out and static files are reachable meanwhile."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        # django-otp's middleware adds is_verified() to every user.
        if user.is_authenticated and not user.is_verified():  # type: ignore[attr-defined]
            open_paths = {reverse("accounts:two_factor"), reverse("accounts:logout")}
            if (
                request.path not in open_paths
                and not request.path.startswith(f"/{settings.STATIC_URL}")
                and needs_two_factor(user)
            ):
                return redirect("accounts:two_factor")
        return self.get_response(request)
