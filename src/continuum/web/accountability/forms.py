"""Forms of the accountability pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile


class MultipleFileInput(forms.ClearableFileInput):
    """A file input that accepts several files."""

    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field whose value is the list of every file chosen."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".txt,.xlsx"}))
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        """Each file checked as a single file field would check it."""
        single = super().clean
        items = list(data) if isinstance(data, list | tuple) else [data]
        # No file at all is checked as one missing file, so that "required" applies.
        return [single(item, initial) for item in items or [None]]


class DashboardFilesForm(forms.Form):
    """One or more CDE Dashboard download files (e.g. eladownload2025.txt)."""

    upload = MultipleFileField(label="Dashboard files (.txt or .xlsx, one or many, any year)")
