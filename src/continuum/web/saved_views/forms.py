"""The saved views' form (a name, the page and its query string, from the filter bar)."""

from __future__ import annotations

from django import forms

from continuum.web.saved_views.models import NAME_MAX, QUERY_MAX
from continuum.web.saved_views.services import saveable_path


class SavedViewForm(forms.Form):
    """Save the filters of the page as it is."""

    name = forms.CharField(label="Name this view", max_length=NAME_MAX, strip=True,
                           help_text="For example: Level 3 districts, 2025")  # fmt: skip
    path = forms.CharField(widget=forms.HiddenInput, max_length=200)
    query = forms.CharField(widget=forms.HiddenInput, max_length=QUERY_MAX, required=False)

    def clean_path(self) -> str:
        """Only a page of this site that has tables."""
        path: str = self.cleaned_data["path"]
        if not saveable_path(path):
            raise forms.ValidationError("Views can be saved only of the site's pages with tables.")
        return path
