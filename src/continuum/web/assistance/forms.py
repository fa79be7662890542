"""Forms of the DA workspace: one model form per kind of record.

Choices that point at other records (a fishbone category, a driver, a measure, a team member's
account) offer only what belongs to the same engagement or training: ``OwnedForm`` narrows them.
Team pickers offer only people who may see the engagement, a data finding's CDS code only the
engagement's LEA and its schools, and the county-owned parts of an engagement (level, status,
its COE coach) are offered only to the county's DA staff.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.db.models import Model

from continuum.improvement import mtss
from continuum.web.accounts.access import UserLike
from continuum.web.accounts.models import User
from continuum.web.assistance import models as m
from continuum.web.assistance.access import (
    county_can_run,
    engagement_can_run,
    engagement_readers,
)
from continuum.web.assistance.selectors.root_causes import finding_entities
from continuum.web.fields import NOTE_MAX_LENGTH


class DateInput(forms.DateInput):
    """A browser date picker."""

    input_type = "date"


class OwnedForm(forms.ModelForm):  # type: ignore[type-arg]
    """A record of an engagement or of a training; choices are narrowed to the same owner."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self, *args: Any, owner: m.Engagement | m.LearningEvent, user: UserLike, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.owner = owner
        self.user = user
        if self.instance.pk is not None:
            self.fields["version"].initial = self.instance.version
        for field in self.fields.values():
            if isinstance(field, forms.DateField):
                field.widget = DateInput(format="%Y-%m-%d")
            queryset = getattr(field, "queryset", None)
            if queryset is not None:
                field.queryset = owned_choices(queryset.model, owner)  # type: ignore[attr-defined]

    def clean_version(self) -> int | None:
        """An edit must say which version it started from (the hidden field of the form)."""
        version: int | None = self.cleaned_data.get("version")
        if self.instance.pk is not None and version is None:
            raise forms.ValidationError(
                "This form does not say which version of the record it was opened at; reload "
                "the page and make the change again."
            )
        return version

    def merged_into(self) -> tuple[m.Versioned, list[str]] | None:
        """An existing record that a valid new one is folded into instead of being saved as
        itself, with the fields changed; None (the default) saves it as a new record."""
        return None


def owned_choices(model: type[Model], owner: m.Engagement | m.LearningEvent) -> Any:
    """The records of ``model`` a form for ``owner`` may point at."""
    if model is User and isinstance(owner, m.Engagement):
        return engagement_readers(owner)
    if isinstance(owner, m.LearningEvent):
        if model is m.LearningSession:
            return owner.sessions.all()
        return model._default_manager.filter(county=owner.county)
    from continuum.web.assistance.parts import owner_path

    return model._default_manager.filter(**{owner_path(model): owner.pk})


class EngagementForm(OwnedForm):
    """The engagement itself; its level and status only for the county's DA staff."""

    class Meta:
        model = m.Engagement
        fields = ("status", "level", "problem_of_practice", "theory_of_action", "aim",
                  "aim_measure", "aim_baseline", "aim_target", "aim_date")  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assert isinstance(self.owner, m.Engagement)
        if not engagement_can_run(self.user, self.owner):
            for name in m.Engagement.COUNTY_OWNED_FIELDS:
                del self.fields[name]


class TeamMemberForm(OwnedForm):
    """A place on the team. Only the county's DA staff name (or change) the COE coach, who is
    one of them; the people offered are those who may see the engagement."""

    class Meta:
        model = m.TeamMember
        fields = ("user", "part")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assert isinstance(self.owner, m.Engagement)
        self.county_staff = engagement_can_run(self.user, self.owner)
        if not self.county_staff:
            part = self.fields["part"]
            part.choices = [c for c in part.choices if c[0] != m.TeamMember.Part.COACH]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        """The COE coach is county DA staff, named by county DA staff."""
        cleaned: dict[str, Any] = super().clean() or {}
        coach = m.TeamMember.Part.COACH
        if self.instance.pk is not None and self.instance.part == coach and not self.county_staff:
            raise forms.ValidationError("Only the county's DA staff change the COE coach.")
        member: User | None = cleaned.get("user")
        county_id = self.owner.lea.county_id  # type: ignore[union-attr]
        if (
            cleaned.get("part") == coach
            and member is not None
            and not county_can_run(member, county_id)
        ):
            self.add_error(
                "part",
                f"{member.get_username()} is not on the county's DA staff, so cannot be the COE "
                "coach; choose a district part.",
            )
        return cleaned


class MeetingForm(OwnedForm):
    class Meta:
        model = m.Meeting
        fields = ("date", "kind", "title", "attendees", "notes", "next_steps")


class DataFindingForm(OwnedForm):
    """A data finding; the entity it names is the engagement's LEA or one of its schools."""

    class Meta:
        model = m.DataFinding
        fields = ("statement", "year", "cds", "studentgroup", "indicator")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assert isinstance(self.owner, m.Engagement)
        self.fields["cds"] = forms.ChoiceField(
            label="Entity (CDS code)", required=False,
            choices=[("", "None"), *finding_entities(engagement=self.owner, user=self.user)],
            # The default message would repeat the code; this one says nothing of the entity.
            error_messages={"invalid_choice": "Choose the engagement's LEA or one of its schools."},
        )  # fmt: skip


class FishboneCategoryForm(OwnedForm):
    class Meta:
        model = m.FishboneCategory
        fields = ("name", "position")


class CauseForm(OwnedForm):
    class Meta:
        model = m.Cause
        fields = ("category", "text", "evidence", "finding")


class WhyChainForm(OwnedForm):
    """A "5 whys" chain; the answers are typed one per line and stored as a list."""

    MOST_WHYS = 5
    whys = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}), required=False, strip=False, label="Whys",
        max_length=NOTE_MAX_LENGTH,
        help_text="Each answer to “why?” on its own line, in order: one to five answers.",
    )  # fmt: skip

    class Meta:
        model = m.WhyChain
        fields = ("problem", "whys", "root_cause")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if isinstance(self.initial.get("whys"), list):
            self.initial["whys"] = "\n".join(self.initial["whys"])

    def clean_whys(self) -> list[str]:
        """The non-blank lines, one to five of them."""
        answers = [line.strip() for line in self.cleaned_data["whys"].splitlines() if line.strip()]
        if not 1 <= len(answers) <= self.MOST_WHYS:
            problem = " ".join(self.cleaned_data.get("problem", "").split())[:80] or "the problem"
            raise forms.ValidationError(
                f"Give one to five answers to “why?” for “{problem}”, one per line "
                f"(there are {len(answers)})."
            )
        return answers


class EmpathyInterviewForm(OwnedForm):
    class Meta:
        model = m.EmpathyInterview
        fields = ("date", "interviewee", "summary", "themes")
        help_texts: ClassVar[dict[str, str]] = {
            "interviewee": "The role of the person interviewed, never their name.",
            "summary": "What you heard, in a few sentences. Do not write the names of students "
            "or families, or details that would identify them.",
            "themes": "Short themes, separated by commas.",
        }


class MtssAssessmentForm(OwnedForm):
    class Meta:
        model = m.MtssAssessment
        fields = ("date", "notes")


class MtssRatingForm(OwnedForm):
    item = forms.ChoiceField(choices=mtss.item_choices())

    class Meta:
        model = m.MtssRating
        fields = ("assessment", "item", "rating", "evidence")


class DriverForm(OwnedForm):
    class Meta:
        model = m.Driver
        fields = ("parent", "text", "definition", "position")

    def clean_parent(self) -> m.Driver | None:
        """Drivers are two levels deep: a parent must be a primary driver, and not the driver
        itself (change ideas carry the level below secondary drivers)."""
        parent: m.Driver | None = self.cleaned_data.get("parent")
        if parent is None:
            return None
        if parent.parent_id is not None:
            raise forms.ValidationError(
                "Choose a primary driver: a secondary driver cannot have drivers under it. "
                "Add a change idea to it instead."
            )
        if self.instance.pk is not None and parent.pk == self.instance.pk:
            raise forms.ValidationError("A driver cannot be its own primary driver.")
        if self.instance.pk is not None and self.instance.children.exists():
            raise forms.ValidationError(
                "This driver has secondary drivers under it, so it must stay a primary driver."
            )
        return parent


class ChangeIdeaForm(OwnedForm):
    class Meta:
        model = m.ChangeIdea
        fields = ("driver", "text", "goal")


class MeasureForm(OwnedForm):
    class Meta:
        model = m.Measure
        fields = ("name", "kind", "unit", "definition", "higher_is_better")


class DataPointForm(OwnedForm):
    """A point of a run chart. A measure has one point per date: a new point on a date already
    taken is refused until the user chooses to replace the recorded value or add to it."""

    REPLACE, ADD = "replace", "add"
    on_same_date = forms.ChoiceField(
        required=False, widget=forms.HiddenInput,
        label="The measure already has a point on this date",
        choices=[(REPLACE, "Replace the recorded value with this one"),
                 (ADD, "Add this value to the recorded one (for counts)")],
    )  # fmt: skip

    class Meta:
        model = m.DataPoint
        fields = ("measure", "date", "value", "note", "astronomical")

    def clean(self) -> dict[str, Any]:
        """Find the point already recorded on the date, and ask what to do with it."""
        cleaned: dict[str, Any] = super().clean() or {}
        self.same_date: m.DataPoint | None = None
        measure, date = cleaned.get("measure"), cleaned.get("date")
        if measure is None or date is None:
            return cleaned
        twin = m.DataPoint.objects.filter(measure=measure, date=date).exclude(pk=self.instance.pk)
        self.same_date = twin.first()
        if self.same_date is None:
            return cleaned
        on = f"{date.day} {date:%b %Y}"
        recorded = f"{measure.name[:80]} already has {self.same_date.value:g} on {on}"
        if self.instance.pk is not None:
            self.add_error("date", f"{recorded}; edit that point instead, or choose another date.")
        elif not cleaned.get("on_same_date"):
            self.fields["on_same_date"].widget = forms.RadioSelect(
                choices=self.fields["on_same_date"].choices  # type: ignore[attr-defined]
            )
            self.add_error("on_same_date", f"{recorded}: replace that value, or add to it.")
        return cleaned

    def _get_validation_exclusions(self) -> set[str]:
        """A point on a date already taken is ``clean``'s question (refused, or merged into the
        recorded point as chosen), so the model's one-point-per-date constraint is checked only
        when the date is free."""
        # Django's ModelForm hook for the fields model validation leaves out (not in the stubs).
        exclusions: set[str] = super()._get_validation_exclusions()  # type: ignore[misc]
        if getattr(self, "same_date", None) is not None:
            exclusions.add("date")
        return exclusions

    def merged_into(self) -> tuple[m.Versioned, list[str]] | None:
        """The point already on the date, with this one's value in its place or added to it."""
        existing = self.same_date
        if existing is None:
            return None
        if self.cleaned_data["on_same_date"] == self.ADD:
            existing.value += self.cleaned_data["value"]
            existing.note = existing.note or self.cleaned_data["note"]
            existing.astronomical = existing.astronomical or self.cleaned_data["astronomical"]
        else:
            existing.value = self.cleaned_data["value"]
            existing.note = self.cleaned_data["note"]
            existing.astronomical = self.cleaned_data["astronomical"]
        return existing, ["value", "note", "astronomical"]


class PdsaCycleForm(OwnedForm):
    class Meta:
        model = m.PdsaCycle
        fields = ("change_idea", "title", "owner", "start", "end", "question", "prediction",
                  "measures", "plan", "do_notes", "executed_as_planned", "study", "decision",
                  "next_steps")  # fmt: skip

    def clean(self) -> dict[str, Any]:
        """The cycle ends on or after its start, and a decision follows a study."""
        data: dict[str, Any] = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start is not None and end is not None and end < start:
            self.add_error("end", "The cycle cannot end before it starts.")
        if data.get("decision") and not data.get("study", "").strip():
            self.add_error(
                "decision",
                "Write what the team learned (Study) before deciding to adopt, adapt or abandon.",
            )
        return data


class LearningEventForm(OwnedForm):
    class Meta:
        model = m.LearningEvent
        fields = ("title", "kind", "mode", "location", "description")


class LearningSessionForm(OwnedForm):
    class Meta:
        model = m.LearningSession
        fields = ("title", "date", "notes")

    def clean(self) -> dict[str, Any]:
        """Refuse a second session with the same title on the same day (a form sent twice)."""
        super().clean()
        cleaned: dict[str, Any] = self.cleaned_data
        title, date = cleaned.get("title"), cleaned.get("date")
        if not title or date is None:
            return cleaned
        twin = m.LearningSession.objects.filter(event_id=self.owner.pk, title=title, date=date)
        if twin.exclude(pk=self.instance.pk).exists():
            self.add_error(
                "title", f"This training already has a session “{title}” on {date:%Y-%m-%d}."
            )
        return cleaned


class AttendanceForm(OwnedForm):
    class Meta:
        model = m.Attendance
        fields = ("session", "lea", "role", "count")

    def clean(self) -> dict[str, Any]:
        """One line per LEA and role in a session: a second one names the line to edit instead.

        The model's unique constraint would also refuse it, with a generic "Attendance with this
        Session, LEA and Role already exists."; the error on the role field replaces that (a
        constraint is not checked again when one of its fields already has an error)."""
        super().clean()
        cleaned: dict[str, Any] = self.cleaned_data
        session, lea, role = cleaned.get("session"), cleaned.get("lea"), cleaned.get("role")
        if session is None or lea is None or not role:
            return cleaned
        existing = (
            m.Attendance.objects.filter(session=session, lea=lea, role=role)
            .exclude(pk=self.instance.pk)
            .first()
        )
        if existing is not None:
            self.add_error(
                "role",
                f"{lea.name} already has {existing.count} {existing.get_role_display().lower()} "
                f"attendee(s) recorded at “{session}”; edit that line instead of adding another.",
            )
        return cleaned


class MaterialForm(OwnedForm):
    url = forms.URLField(assume_scheme="https", max_length=500, label="Link")

    class Meta:
        model = m.Material
        fields = ("title", "url")


RATING_CHOICES = [("", "Not rated"), *((str(n), mtss.rating_label(n)) for n in mtss.SCALE)]


class MtssRatingsForm(forms.Form):
    """Every item of a self-assessment at once: a rating (or none) and its evidence."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, data: Any = None, *, assessment: m.MtssAssessment) -> None:
        existing = {row.item: row for row in assessment.ratings.all()}
        initial: dict[str, Any] = {"version": assessment.version}
        for code in mtss.ITEMS:
            row = existing.get(code)
            initial[f"rating_{code}"] = str(row.rating) if row is not None else ""
            initial[f"evidence_{code}"] = row.evidence if row is not None else ""
        super().__init__(data, initial=initial)
        for code, item in mtss.ITEMS.items():
            self.fields[f"rating_{code}"] = forms.ChoiceField(
                choices=RATING_CHOICES, required=False, widget=forms.RadioSelect,
                label=f"{code} {item.name}",
            )  # fmt: skip
            self.fields[f"evidence_{code}"] = forms.CharField(
                required=False, label=f"Evidence for {code}", max_length=NOTE_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 2}),
            )  # fmt: skip

    def clean(self) -> dict[str, Any]:
        """Evidence needs a rating to belong to."""
        cleaned = super().clean() or {}
        for code in mtss.ITEMS:
            if cleaned.get(f"evidence_{code}") and not cleaned.get(f"rating_{code}"):
                self.add_error(f"rating_{code}", "Choose a rating for this evidence, or clear it.")
        return cleaned

    def ratings(self) -> dict[str, tuple[int | None, str]]:
        """Item code → rating (None when not rated) and evidence, from valid data."""
        return {
            code: (
                int(self.cleaned_data[f"rating_{code}"]) if self.cleaned_data[f"rating_{code}"]
                else None,
                self.cleaned_data[f"evidence_{code}"],
            )
            for code in mtss.ITEMS
        }  # fmt: skip

    def domains(self) -> list[tuple[mtss.Domain, list[tuple[mtss.Item, Any, Any]]]]:
        """The items by domain, each with its rating and evidence fields, for the template."""
        return [
            (domain, [(item, self[f"rating_{item.code}"], self[f"evidence_{item.code}"])
                      for item in domain.items])
            for domain in mtss.DOMAINS
        ]  # fmt: skip
