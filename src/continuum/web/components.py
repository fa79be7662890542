"""Template tags of the design system's components (a template builtin, settings ``TEMPLATES``).

``{% breadcrumbs "Rio Verde County" county_url "Alder Unified" %}``: label and URL pairs, the
last label (the current page) without one. ``{{ field|described }}``: a form field's input tied
to its hint and error message (``aria-describedby``, ``aria-invalid``), as the GOV.UK pattern
does. The components themselves are the includes in ``templates/components/``.
"""

from __future__ import annotations

from django import forms, template
from django.utils.safestring import SafeString

register = template.Library()


@register.inclusion_tag("components/breadcrumbs.html")
def breadcrumbs(*labels_and_urls: object) -> dict[str, list[tuple[str, str]]]:
    """Crumbs from alternating labels and URLs; the last label is the current page."""
    items = [str(item) for item in labels_and_urls]
    crumbs = [(items[i], items[i + 1]) for i in range(0, len(items) - 1, 2)]
    if len(items) % 2:
        crumbs.append((items[-1], ""))
    return {"crumbs": crumbs}


@register.filter
def described(field: forms.BoundField) -> SafeString:
    """The field's widget with ``aria-describedby`` naming its hint and error, and
    ``aria-invalid`` when it has an error."""
    ids = []
    attrs: dict[str, str | bool] = {}
    if field.help_text:
        ids.append(f"{field.id_for_label}-hint")
    if field.errors:
        ids.append(f"{field.id_for_label}-error")
        attrs["aria-invalid"] = "true"
    if ids:
        attrs["aria-describedby"] = " ".join(ids)
    return field.as_widget(attrs=attrs)
