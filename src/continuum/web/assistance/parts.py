"""The kinds of record the workspace edits through one set of create / edit / delete views.

Each kind names its model, its form, how to reach its owner (an engagement or a training) from
the model, and the page that lists it (where the views return after a save).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Model
from django.http import Http404

from continuum.web.assistance import forms as f
from continuum.web.assistance import models as m


@dataclass(frozen=True)
class Part:
    """One kind of workspace record."""

    slug: str
    model: type[m.Versioned]
    form: type[f.OwnedForm]
    owner: type[m.Engagement] | type[m.LearningEvent]
    path: str  # the lookup from the model to its owner's id
    page: str  # URL name of the page listing it; takes the owner's id
    anchor: str = ""
    deletable: bool = True

    @property
    def label(self) -> str:
        """The kind in words, e.g. 'fishbone category'."""
        return str(self.model._meta.verbose_name)

    def owned(self, owner: m.Engagement | m.LearningEvent) -> object:
        """This kind's records belonging to ``owner``."""
        return self.model._default_manager.filter(**{self.path: owner.pk})

    def new_record(self, owner: m.Engagement | m.LearningEvent) -> m.Versioned:
        """An unsaved record of this kind for ``owner``, for its form to fill in: the owner
        itself for a new owner (a training), else linked to the owner when the link is direct
        (a record reached through another, such as a cause through its category, is linked by
        the form)."""
        if self.path == "pk":
            return owner
        record = self.model()
        if "__" not in self.path:
            setattr(record, self.path, owner)
        return record


_E, _T = m.Engagement, m.LearningEvent
PARTS: dict[str, Part] = {
    part.slug: part
    for part in (
        Part("engagement", m.Engagement, f.EngagementForm, _E, "pk", "assistance:engagement",
             deletable=False),
        Part("team", m.TeamMember, f.TeamMemberForm, _E, "engagement", "assistance:engagement",
             "team"),
        Part("meeting", m.Meeting, f.MeetingForm, _E, "engagement", "assistance:engagement",
             "timeline"),
        Part("finding", m.DataFinding, f.DataFindingForm, _E, "engagement",
             "assistance:root_causes", "findings"),
        Part("category", m.FishboneCategory, f.FishboneCategoryForm, _E, "engagement",
             "assistance:root_causes", "fishbone"),
        Part("cause", m.Cause, f.CauseForm, _E, "category__engagement", "assistance:root_causes",
             "fishbone"),
        Part("whys", m.WhyChain, f.WhyChainForm, _E, "engagement", "assistance:root_causes",
             "whys"),
        Part("interview", m.EmpathyInterview, f.EmpathyInterviewForm, _E, "engagement",
             "assistance:root_causes", "interviews"),
        Part("assessment", m.MtssAssessment, f.MtssAssessmentForm, _E, "engagement",
             "assistance:mtss"),
        Part("rating", m.MtssRating, f.MtssRatingForm, _E, "assessment__engagement",
             "assistance:mtss"),
        Part("driver", m.Driver, f.DriverForm, _E, "engagement", "assistance:driver_diagram"),
        Part("idea", m.ChangeIdea, f.ChangeIdeaForm, _E, "driver__engagement",
             "assistance:driver_diagram"),
        Part("measure", m.Measure, f.MeasureForm, _E, "engagement", "assistance:pdsa",
             "measures"),
        Part("point", m.DataPoint, f.DataPointForm, _E, "measure__engagement", "assistance:pdsa",
             "measures"),
        Part("cycle", m.PdsaCycle, f.PdsaCycleForm, _E, "engagement", "assistance:pdsa",
             "cycles"),
        Part("event", m.LearningEvent, f.LearningEventForm, _T, "pk", "assistance:event"),
        Part("session", m.LearningSession, f.LearningSessionForm, _T, "event", "assistance:event",
             "sessions"),
        Part("attendance", m.Attendance, f.AttendanceForm, _T, "session__event",
             "assistance:event", "sessions"),
        Part("material", m.Material, f.MaterialForm, _T, "event", "assistance:event",
             "materials"),
    )
}  # fmt: skip


def part_for(slug: str, owner: type[m.Engagement] | type[m.LearningEvent]) -> Part:
    """The kind named by a URL, if it belongs to that kind of owner; 404 otherwise."""
    part = PARTS.get(slug)
    if part is None or part.owner is not owner:
        raise Http404
    return part


def owner_path(model: type[Model]) -> str:
    """The lookup from a workspace model to its owner's id."""
    for part in PARTS.values():
        if part.model is model:
            return part.path
    raise LookupError(f"{model.__name__} is not a workspace record")
