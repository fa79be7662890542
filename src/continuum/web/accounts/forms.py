"""Forms of the accounts pages."""

from __future__ import annotations

from django import forms

from continuum.web.accounts.models import Role


class TokenForm(forms.Form):
    """A six-digit code from an authenticator app, or one of the user's recovery codes."""

    token = forms.CharField(
        label="Six-digit code from your authenticator app (or a recovery code)",
        min_length=6,
        # A recovery code is 8 characters; room for the spaces or hyphens people type.
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}),
    )


class UserCreateForm(forms.Form):
    """A new user with one role over the county, one of its LEAs or one of its schools."""

    username = forms.CharField(max_length=150)
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}), min_length=12
    )
    role = forms.ChoiceField(choices=Role.choices)
    scope = forms.CharField(
        label="Scope: the county's two-digit code, or an LEA's or school's CDS code",
        max_length=14,
    )


class MembershipForm(forms.Form):
    """A membership's role and scope (the county, one of its LEAs or one of its schools)."""

    role = forms.ChoiceField(choices=Role.choices)
    scope = forms.CharField(
        label="Scope: the county's two-digit code, or an LEA's or school's CDS code",
        max_length=14,
    )
