"""Free text with a bound: every text field people type into has a maximum length, which the
form, the model's validation and the services all enforce.

Django gives a ``TextField``'s ``max_length`` to its form field only; the database does not
check it. ``BoundedTextField`` adds the same limit as a validator, so that ``full_clean`` and
the services (``text_fields_check``) refuse an over-long value too, and a page, an export or a
PDF built from stored text stays a known size.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.validators import MaxLengthValidator
from django.db import models

# A note, a statement, a piece of evidence: a paragraph or two.
NOTE_MAX_LENGTH = 2_000
# A narrative (meeting notes, a theory of action, a PDSA plan or study): a few pages.
NARRATIVE_MAX_LENGTH = 10_000


if TYPE_CHECKING:
    from django.db.models.expressions import Combinable

    _TextField = models.TextField[str | Combinable, str]
else:
    _TextField = models.TextField


class BoundedTextField(_TextField):
    """A ``TextField`` whose ``max_length`` (required) the model validates as well as the form."""

    def __init__(self, *, max_length: int, **kwargs: Any) -> None:
        super().__init__(max_length=max_length, **kwargs)
        self.validators.append(MaxLengthValidator(max_length))


def text_fields_check(record: models.Model, names: Iterable[str] | None = None) -> None:
    """Validate the text fields of ``record`` (those in ``names``, or all): length, blank and
    choices. Raises ``ValidationError`` naming each field that fails."""
    wanted = None if names is None else set(names)
    text = {
        field.name
        for field in record._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField)
        and (wanted is None or field.name in wanted)
    }
    others = [field.name for field in record._meta.concrete_fields if field.name not in text]
    record.clean_fields(exclude=others)
