"""Sign-in pages beyond Django's own (the home redirect, two-factor verification, recovery
codes, password change and reset) and the administrators' users pages: add users, edit or remove
memberships, deactivate and reactivate users, issue password reset links."""

from __future__ import annotations

import base64

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.contrib.auth.views import INTERNAL_RESET_SESSION_TOKEN
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from continuum.web.accounts import page_tables
from continuum.web.accounts.access import AUDIT_ROLES as ADMIN_ROLES
from continuum.web.accounts.access import access_county, home_path_name
from continuum.web.accounts.client import client_address
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
    SecondFactorOutcome,
    membership_remove,
    membership_update,
    password_reset_link_create,
    recovery_codes_replace,
    second_factor_verify,
    totp_device_create,
    user_create,
    user_deactivate,
    user_password_change,
    user_password_reset,
    user_reactivate,
)
from continuum.web.accounts.two_factor import recovery_codes_left, totp_qr_code_data_uri
from continuum.web.agencies.models import County
from continuum.web.tables import table_build, table_download


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Send a user to their county, LEA or school."""
    name, cds = home_path_name(request.user)
    return redirect(name, cds) if cds else redirect(name)


@login_required
@require_http_methods(["GET", "POST"])
def two_factor(request: HttpRequest) -> HttpResponse:
    """Enter a code from the authenticator (or a recovery code); set one up first if the user
    has none. Enrolling ends on the new recovery codes, shown once."""
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
        if form.is_valid():
            address = client_address(request)
            outcome = second_factor_verify(
                user=user, token=form.cleaned_data["token"], client_address=address
            )
            if outcome.device is not None:
                otp_login(request, outcome.device)
                if not outcome.enrolled:
                    return redirect("accounts:home")
                codes = recovery_codes_replace(user=user, client_address=address)
                return render(request, "accounts/recovery_codes.html", {"codes": codes})
            form.add_error("token", _second_factor_refusal(outcome))
    context = {
        "form": form,
        "confirmed": confirmed is not None,
        "pending": pending,
        "secret": base64.b32encode(pending.bin_key).decode() if pending else "",
        "qr_code": totp_qr_code_data_uri(pending) if pending else "",
    }
    return render(request, "accounts/two_factor.html", context)


def _second_factor_refusal(outcome: SecondFactorOutcome) -> str:
    """Why a code was refused, and how long until the next one is tried: a correct code sent
    too soon after a wrong one is not checked at all, and must not be called wrong."""
    unit = "second" if outcome.wait_seconds == 1 else "seconds"
    if outcome.throttled:
        return f"Too many attempts: wait {outcome.wait_seconds} {unit} and try again."
    wrong = "That code is not right (or has expired)."
    if outcome.wait_seconds:
        return f"{wrong} Wait {outcome.wait_seconds} {unit} before trying another."
    return f"{wrong} Try the next one."


@login_required
@require_http_methods(["GET", "POST"])
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """How many recovery codes are left; new ones (replacing the old) on request."""
    user = request.user
    assert isinstance(user, User)
    has_authenticator = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    if request.method == "POST" and has_authenticator:
        codes = recovery_codes_replace(user=user, client_address=client_address(request))
        return render(request, "accounts/recovery_codes.html", {"codes": codes})
    context = {"has_authenticator": has_authenticator, "left": recovery_codes_left(user)}
    return render(request, "accounts/recovery_codes_status.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    """The signed-in user sets a new password; this session stays signed in, others end."""
    user = request.user
    assert isinstance(user, User)
    form = PasswordChangeForm(user)
    if request.method == "POST":
        form = PasswordChangeForm(user, request.POST)
        if form.is_valid():
            user_password_change(
                user=user,
                password=form.cleaned_data["new_password1"],
                client_address=client_address(request),
            )
            update_session_auth_hash(request, user)
            messages.success(request, "Your password is changed.")
            return redirect("accounts:home")
    return render(request, "accounts/password_change.html", {"form": form})


class PasswordResetView(auth_views.PasswordResetConfirmView):
    """A reset link an administrator issued: once valid, a form for the new password (which
    the validators check); the link stops working once used."""

    template_name = "accounts/password_reset.html"
    success_url = reverse_lazy("accounts:login")

    def form_valid(self, form: SetPasswordForm) -> HttpResponse:  # type: ignore[type-arg]
        """Set the password through the service (audited) instead of the form's own save."""
        assert isinstance(self.user, User)
        user_password_reset(
            user=self.user,
            password=form.cleaned_data["new_password1"],
            client_address=client_address(self.request),
        )
        del self.request.session[INTERNAL_RESET_SESSION_TOKEN]
        messages.success(self.request, "Your password is set: sign in with it.")
        return HttpResponseRedirect(self.get_success_url())


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
            else:
                try:
                    user_create(
                        actor=actor, username=data["username"], password=data["password"],
                        role=data["role"], scope=scope,
                    )  # fmt: skip
                except RoleScopeError as error:
                    form.add_error("scope", str(error))
                except ValidationError as refused:
                    form.add_error(None, refused)
                else:
                    return redirect("accounts:users")
    spec = page_tables.USERS
    state = spec.parse(request.GET)
    table = table_build(spec, state, page_tables.user_rows(county_memberships(county=county)))
    if state.file_format:
        return table_download(
            table, actor=actor, subject=county, subject_id=county.code, filename="users"
        )
    return render(request, "accounts/users.html", {"county": county, "form": form, "table": table})


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


@login_required
@require_http_methods(["GET", "POST"])
def user_password_reset_link(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask to confirm, then issue a one-time password reset link for a user of the county,
    shown here to pass on (and mailed to them when mail is configured)."""
    county, actor, user = _administered_user(request, pk)
    link = None
    if request.method == "POST":
        link = password_reset_link_create(
            actor=actor,
            user=user,
            site_url=request.build_absolute_uri("/"),
            client_address=client_address(request),
        )
    context = {"county": county, "member": user, "link": link}
    return render(request, "accounts/password_reset_link.html", context)
