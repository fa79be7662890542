"""Sign-in pages beyond Django's own (the home redirect, two-factor verification) and the
administrators' users pages: add users, edit or remove memberships, deactivate and reactivate
users."""

from __future__ import annotations

import base64

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from continuum.web.accounts.access import AUDIT_ROLES as ADMIN_ROLES
from continuum.web.accounts.access import access_county, home_path_name
from continuum.web.accounts.forms import MembershipForm, TokenForm, UserCreateForm
from continuum.web.accounts.models import Membership, User
from continuum.web.accounts.selectors import (
    county_membership,
    county_memberships,
    county_scope_by_code,
    county_user,
    scope_code,
)
from continuum.web.accounts.services import (
    LastCountyAdministratorError,
    RoleScopeError,
    membership_remove,
    membership_update,
    totp_device_confirm,
    totp_device_create,
    user_create,
    user_deactivate,
    user_reactivate,
)
from continuum.web.agencies.models import County


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Send a user to their county, LEA or school."""
    name, cds = home_path_name(request.user)
    return redirect(name, cds) if cds else redirect(name)


@login_required
@require_http_methods(["GET", "POST"])
def two_factor(request: HttpRequest) -> HttpResponse:
    """Enter a code from the authenticator; set one up first if the user has none."""
    user = request.user
    assert isinstance(user, User)
    if user.is_verified():  # type: ignore[attr-defined]
        return redirect("accounts:home")
    confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    pending = None if confirmed else TOTPDevice.objects.filter(user=user, confirmed=False).first()
    form = TokenForm()
    if request.method == "POST" and request.POST.get("action") == "set_up" and not confirmed:
        totp_device_create(user=user)
        return redirect("accounts:two_factor")
    if request.method == "POST":
        form = TokenForm(request.POST)
        device = confirmed or pending
        if form.is_valid() and device is not None:
            if device.verify_token(form.cleaned_data["token"]):
                if not device.confirmed:
                    totp_device_confirm(user=user, device=device)
                otp_login(request, device)
                return redirect("accounts:home")
            form.add_error("token", "That code is not right (or has expired); try the next one.")
    context = {
        "form": form,
        "confirmed": confirmed is not None,
        "pending": pending,
        "secret": base64.b32encode(pending.bin_key).decode() if pending else "",
    }
    return render(request, "accounts/two_factor.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def users(request: HttpRequest) -> HttpResponse:
    """The county's users and their roles; administrators add users here."""
    county = access_county(request.user, roles=ADMIN_ROLES)
    actor = request.user
    assert isinstance(actor, User)
    form = UserCreateForm()
    if request.method == "POST":
        form = UserCreateForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            scope = county_scope_by_code(county=county, code=data["scope"].strip())
            if scope is None:
                form.add_error("scope", "No such county, LEA or school in your county.")
            elif User.objects.filter(username=data["username"]).exists():
                form.add_error("username", "That username is taken.")
            else:
                try:
                    user_create(
                        actor=actor, username=data["username"], password=data["password"],
                        role=data["role"], scope=scope,
                    )  # fmt: skip
                except RoleScopeError as error:
                    form.add_error("scope", str(error))
                else:
                    return redirect("accounts:users")
    context = {"county": county, "form": form, "memberships": county_memberships(county=county)}
    return render(request, "accounts/users.html", context)


def _administered(request: HttpRequest, pk: int) -> tuple[County, User, Membership]:
    """The administrator's county, the administrator, and a membership of that county (404
    for any other)."""
    county = access_county(request.user, roles=ADMIN_ROLES)
    actor = request.user
    assert isinstance(actor, User)
    membership = county_membership(county=county, pk=pk)
    if membership is None:
        raise Http404
    return county, actor, membership


def _administered_user(request: HttpRequest, pk: int) -> tuple[County, User, User]:
    """The administrator's county, the administrator, and a user of that county (404 for any
    other)."""
    county = access_county(request.user, roles=ADMIN_ROLES)
    actor = request.user
    assert isinstance(actor, User)
    user = county_user(county=county, pk=pk)
    if user is None:
        raise Http404
    return county, actor, user


@login_required
@require_http_methods(["GET", "POST"])
def membership_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change one membership's role and scope."""
    county, actor, membership = _administered(request, pk)
    form = MembershipForm(initial={"role": membership.role, "scope": scope_code(membership.scope)})
    if request.method == "POST":
        form = MembershipForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            scope = county_scope_by_code(county=county, code=data["scope"].strip())
            if scope is None:
                form.add_error("scope", "No such county, LEA or school in your county.")
            else:
                try:
                    membership_update(
                        actor=actor, membership=membership, role=data["role"], scope=scope
                    )
                except LastCountyAdministratorError as error:
                    form.add_error(None, str(error))
                except RoleScopeError as error:
                    form.add_error("scope", str(error))
                else:
                    messages.success(request, f"{membership.user.username} is now {membership}.")
                    return redirect("accounts:users")
    context = {"county": county, "form": form, "membership": membership}
    return render(request, "accounts/membership_edit.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def membership_remove_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask to confirm, then remove one membership."""
    county, actor, membership = _administered(request, pk)
    error = ""
    if request.method == "POST":
        try:
            membership_remove(actor=actor, membership=membership)
        except LastCountyAdministratorError as refused:
            error = str(refused)
        else:
            messages.success(request, f"Removed {membership} from {membership.user.username}.")
            return redirect("accounts:users")
    context = {"county": county, "membership": membership, "error": error}
    return render(request, "accounts/membership_remove.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def user_deactivate_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask to confirm, then deactivate a user of the county."""
    county, actor, user = _administered_user(request, pk)
    error = ""
    if request.method == "POST" and user.is_active:
        try:
            user_deactivate(actor=actor, user=user)
        except LastCountyAdministratorError as refused:
            error = str(refused)
        else:
            messages.success(request, f"Deactivated {user.username}.")
            return redirect("accounts:users")
    context = {"county": county, "member": user, "error": error}
    return render(request, "accounts/user_deactivate.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def user_reactivate_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask to confirm, then let a deactivated user of the county sign in again."""
    county, actor, user = _administered_user(request, pk)
    if request.method == "POST" and not user.is_active:
        user_reactivate(actor=actor, user=user)
        messages.success(request, f"Reactivated {user.username}.")
        return redirect("accounts:users")
    return render(request, "accounts/user_reactivate.html", {"county": county, "member": user})
