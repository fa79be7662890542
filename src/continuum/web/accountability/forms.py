"""Forms of the accountability pages."""

from __future__ import annotations

from django import forms
from django.core.files.uploadedfile import UploadedFile


class MultipleFileInput(forms.ClearableFileInput):
    """A file input that accepts several files."""

    allow_multiple_selected = True


class DashboardFilesForm(forms.Form):
    """One or more CDE Dashboard download files (e.g. eladownload2025.txt)."""

    upload = forms.FileField(
        label="Dashboard files (.txt or .xlsx, one or many, any year)",
        widget=MultipleFileInput(attrs={"multiple": True, "accept": ".txt,.xlsx"}),
    )

    def clean_upload(self) -> list[UploadedFile]:
        """Every chosen file, not only the last."""
        return self.files.getlist("upload")


class OverviewFilterForm(forms.Form):
    """Filters of the county overview."""

    year = forms.IntegerField(required=False)
    level = forms.CharField(required=False, label="Support level")
    group = forms.CharField(required=False, label="Student group")
    q = forms.CharField(required=False, label="LEA name or CDS code")
