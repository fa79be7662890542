"""The audit page's filters, read from the query string so that a filtered view is a link."""

from __future__ import annotations

from typing import Any

from django import forms

from continuum.web.audit.presentation import subject_words, verb_words
from continuum.web.audit.selectors import AuditChoices, AuditFilters


def _any(values: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [("", "Any"), *values]


class AuditFilterForm(forms.Form):
    """Actor, action, subject and a date range; the choices are the reader's own events'."""

    actor = forms.ChoiceField(required=False)
    verb = forms.ChoiceField(required=False, label="Action")
    subject_type = forms.ChoiceField(required=False, label="Subject")
    subject_id = forms.CharField(required=False, max_length=60, label="Subject id or code")
    start = forms.DateField(
        required=False, label="From", widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        required=False, label="To", widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, data: Any, *, choices: AuditChoices) -> None:
        super().__init__(data)
        fields: Any = self.fields
        fields["actor"].choices = _any([(name, name) for name in choices.actors])
        fields["verb"].choices = _any([(verb, verb_words(verb)) for verb in choices.verbs])
        fields["subject_type"].choices = _any(
            [(kind, subject_words(kind)) for kind in choices.subject_types]
        )

    def clean(self) -> dict[str, Any]:
        """Refuse a range that ends before it starts."""
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", "The range ends before it starts.")
        return cleaned

    def filters(self) -> AuditFilters:
        """The filters asked for. A choice the reader's events do not offer (a link from
        someone else's view) is kept as asked, so that it matches nothing rather than
        everything; an invalid date is left out, and its error shown on the form."""
        self.is_valid()
        data = self.cleaned_data

        def chosen(name: str) -> str:
            if name in self.errors:
                return str(self.data.get(name, ""))[:150]
            return str(data.get(name) or "")

        return AuditFilters(
            actor=chosen("actor"),
            verb=chosen("verb"),
            subject_type=chosen("subject_type"),
            subject_id=chosen("subject_id").strip(),
            start=data.get("start"),
            end=data.get("end") if "end" not in self.errors else None,
        )
