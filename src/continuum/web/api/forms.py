"""Forms of the API pages."""

from __future__ import annotations

from django import forms

# How long a new token is valid, in days ("" for until revoked).
EXPIRY_CHOICES = [("30", "30 days"), ("90", "90 days"), ("365", "1 year"), ("", "Until revoked")]


class ApiTokenForm(forms.Form):
    """A new personal API token: what it is for and how long it is valid."""

    name = forms.CharField(
        label="What it is for (e.g. the script that uses it)", max_length=100, strip=True
    )
    expires = forms.ChoiceField(
        label="Valid for", choices=EXPIRY_CHOICES, initial="90", required=False
    )

    def days(self) -> int | None:
        """The validity chosen, in days (None: until revoked)."""
        value: str = self.cleaned_data.get("expires") or ""
        return int(value) if value else None
