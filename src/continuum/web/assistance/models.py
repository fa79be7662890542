"""The Differentiated Assistance workspace: engagements with districts and their improvement work.

An engagement is the COE's work with one LEA for one Dashboard year. Everything recorded in it
(team, meetings, root causes, MTSS self-assessments, the driver diagram, measures and PDSA
cycles) hangs off it, so that access is decided once, by the engagement's LEA. Trainings and
networks belong to the county and record attendance by LEA.

Every record people edit carries a ``version``: an edit names the version it started from and
is refused when someone else saved the record in between (services.StaleRecordError).
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from continuum.web.agencies.models import County, Lea
from continuum.web.fields import NARRATIVE_MAX_LENGTH, NOTE_MAX_LENGTH, BoundedTextField


class Versioned(models.Model):
    """A record people edit: its version, and who saved it last and when."""

    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, editable=False,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip

    class Meta:
        abstract = True


class Engagement(Versioned):
    """The COE's work with one LEA in one Dashboard year."""

    class Level(models.IntegerChoices):
        GENERAL = 1, "Level 1 · General assistance"
        DIFFERENTIATED = 2, "Level 2 · Differentiated assistance"
        INTENSIVE = 3, "Level 3 · Intensive intervention"

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        ACTIVE = "active", "Active"
        CLOSED = "closed", "Closed"

    # The parts the county decides (only its DA staff change them): the System of Support level
    # and where the engagement stands.
    COUNTY_OWNED_FIELDS: ClassVar[tuple[str, ...]] = ("level", "status")

    lea = models.ForeignKey(Lea, on_delete=models.CASCADE, related_name="engagements")
    year = models.PositiveSmallIntegerField(help_text="The Dashboard year that identified it.")
    level = models.PositiveSmallIntegerField(choices=Level.choices, default=Level.DIFFERENTIATED)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    problem_of_practice = BoundedTextField(max_length=NOTE_MAX_LENGTH, blank=True)
    theory_of_action = BoundedTextField(max_length=NARRATIVE_MAX_LENGTH, blank=True)
    aim = BoundedTextField(
        max_length=NOTE_MAX_LENGTH,
        blank=True,
        help_text="What will improve, for whom, by how much, by when.",
    )
    aim_measure = models.CharField(max_length=200, blank=True)
    aim_baseline = models.FloatField(null=True, blank=True)
    aim_target = models.FloatField(null=True, blank=True)
    aim_date = models.DateField(null=True, blank=True, verbose_name="aim due date")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "lea__name"]
        constraints = [models.UniqueConstraint(fields=["lea", "year"], name="engagement_lea_year")]

    def __str__(self) -> str:
        return f"{self.lea.name} · {self.year}"


class EngagementGroup(models.Model):
    """A student group that made the LEA eligible, with the LCFF priorities it met (from the
    year's determination, copied when the engagement was proposed)."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="groups")
    studentgroup = models.CharField(max_length=8)
    code = models.CharField(max_length=1, help_text="CDE's priority-combination code (A–K).")
    priorities = models.JSONField(default=list)

    class Meta:
        ordering = ["studentgroup"]
        constraints = [
            models.UniqueConstraint(
                fields=["engagement", "studentgroup"], name="engagement_group_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.studentgroup} ({self.code})"


class TeamMember(Versioned):
    """A person on the engagement's support team."""

    class Part(models.TextChoices):
        COACH = "coach", "COE coach"
        DISTRICT_LEAD = "district_lead", "District lead"
        DISTRICT_MEMBER = "district_member", "District team member"

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="team")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    part = models.CharField(max_length=20, choices=Part.choices, verbose_name="role on the team")

    class Meta:
        ordering = ["part", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["engagement", "user"], name="team_member_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_part_display()})"


class Meeting(Versioned):
    """An entry of the engagement's timeline: a coaching session, a team meeting, a milestone."""

    class Kind(models.TextChoices):
        COACHING = "coaching", "Coaching session"
        TEAM = "team", "Team meeting"
        MILESTONE = "milestone", "Milestone"

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="meetings")
    date = models.DateField()
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.COACHING)
    title = models.CharField(max_length=200)
    attendees = models.CharField(max_length=500, blank=True, help_text="Roles or names of adults.")
    notes = BoundedTextField(max_length=NARRATIVE_MAX_LENGTH, blank=True)
    next_steps = BoundedTextField(max_length=NOTE_MAX_LENGTH, blank=True)

    class Meta:
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.date} {self.title}"


class DataFinding(Versioned):
    """Something the data show, optionally tied to one Dashboard result (year, entity, student
    group, indicator: results are re-imported, so the key is kept rather than a row)."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="findings")
    statement = BoundedTextField(max_length=NOTE_MAX_LENGTH)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    cds = models.CharField(max_length=14, blank=True, verbose_name="CDS code")
    studentgroup = models.CharField(max_length=8, blank=True, verbose_name="student group")
    indicator = models.CharField(max_length=10, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.statement[:80]


class FishboneCategory(Versioned):
    """A bone of the fishbone (e.g. People, Processes, Materials), named by the team."""

    engagement = models.ForeignKey(
        Engagement, on_delete=models.CASCADE, related_name="fishbone_categories"
    )
    name = models.CharField(max_length=100)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name_plural = "fishbone categories"

    def __str__(self) -> str:
        return self.name


class Cause(Versioned):
    """A possible cause on one bone of the fishbone, with the evidence for it."""

    category = models.ForeignKey(FishboneCategory, on_delete=models.CASCADE, related_name="causes")
    text = models.CharField(max_length=300)
    evidence = BoundedTextField(max_length=NOTE_MAX_LENGTH, blank=True)
    finding = models.ForeignKey(
        DataFinding, null=True, blank=True, on_delete=models.SET_NULL, related_name="causes",
        help_text="A data finding that supports this cause.",
    )  # fmt: skip

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text


class WhyChain(Versioned):
    """A "5 whys": a problem, the answers to "why?" in order, and the root cause reached."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="why_chains")
    problem = BoundedTextField(max_length=NOTE_MAX_LENGTH)
    whys = models.JSONField(default=list, help_text="Each answer to “why?”, in order (up to 5).")
    root_cause = BoundedTextField(max_length=NOTE_MAX_LENGTH, blank=True)

    class Meta:
        verbose_name = "5 whys"
        verbose_name_plural = "5 whys"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.problem[:80]


class EmpathyInterview(Versioned):
    """A summary of an empathy interview. It names no one: the role interviewed, not the person."""

    class Interviewee(models.TextChoices):
        STUDENT = "student", "Student"
        FAMILY = "family", "Family member"
        TEACHER = "teacher", "Teacher"
        STAFF = "staff", "Other school staff"
        LEADER = "leader", "School or district leader"

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="interviews")
    date = models.DateField()
    interviewee = models.CharField(max_length=10, choices=Interviewee.choices)
    summary = BoundedTextField(max_length=NARRATIVE_MAX_LENGTH)
    themes = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_interviewee_display()}"


class MtssAssessment(Versioned):
    """One MTSS self-assessment of the district's system: a rating per item, on a date."""

    engagement = models.ForeignKey(
        Engagement, on_delete=models.CASCADE, related_name="mtss_assessments"
    )
    date = models.DateField()
    notes = BoundedTextField(max_length=NOTE_MAX_LENGTH, blank=True)

    class Meta:
        verbose_name = "MTSS self-assessment"
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return f"MTSS self-assessment {self.date}"


class MtssRating(Versioned):
    """One item of a self-assessment (items: continuum.improvement.mtss), rated 1–4."""

    assessment = models.ForeignKey(MtssAssessment, on_delete=models.CASCADE, related_name="ratings")
    item = models.CharField(max_length=40)
    rating = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    evidence = BoundedTextField(max_length=NOTE_MAX_LENGTH, blank=True)

    class Meta:
        verbose_name = "MTSS rating"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "item"], name="mtss_item_once")
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.rating}"


class Driver(Versioned):
    """A driver of the aim: primary when it has no parent, secondary under a primary driver."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="drivers")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children",
        verbose_name="primary driver", help_text="Leave empty for a primary driver.",
    )  # fmt: skip
    text = models.CharField(max_length=300)
    definition = BoundedTextField(max_length=NOTE_MAX_LENGTH, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text


class ChangeIdea(Versioned):
    """Something to try, attached to the driver it should move."""

    driver = models.ForeignKey(Driver, on_delete=models.CASCADE, related_name="change_ideas")
    text = models.CharField(max_length=300)
    goal = BoundedTextField(max_length=NOTE_MAX_LENGTH, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text


class Measure(Versioned):
    """A measure the team tracks over time (outcome, process or balancing)."""

    class Kind(models.TextChoices):
        OUTCOME = "outcome", "Outcome"
        PROCESS = "process", "Process"
        BALANCING = "balancing", "Balancing"

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="measures")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PROCESS)
    unit = models.CharField(max_length=40, blank=True)
    definition = BoundedTextField(max_length=NOTE_MAX_LENGTH, blank=True)
    higher_is_better = models.BooleanField(default=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class DataPoint(Versioned):
    """One observation of a measure."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="points")
    date = models.DateField()
    value = models.FloatField()
    note = models.CharField(max_length=200, blank=True)
    # The sources give no threshold for an astronomical point ("obviously different"), so the
    # team makes that call and records it here; the run chart marks and lists such points.
    astronomical = models.BooleanField(
        default=False, verbose_name="The team judges this point astronomical"
    )

    class Meta:
        ordering = ["date", "id"]
        # One point per date: the form asks whether a second value on a date replaces the
        # recorded one or is added to it (``forms.DataPointForm``). Points on one date stored
        # before this constraint were merged by migration 0003 into the one recorded last,
        # notes joined and astronomical if any was; each merge is in the audit trail.
        constraints = [
            models.UniqueConstraint(fields=["measure", "date"], name="data_point_one_per_date")
        ]

    def __str__(self) -> str:
        return f"{self.date}: {self.value}"


class PdsaCycle(Versioned):
    """A Plan–Do–Study–Act cycle testing one change idea."""

    class Decision(models.TextChoices):
        ADOPT = "adopt", "Adopt"
        ADAPT = "adapt", "Adapt"
        ABANDON = "abandon", "Abandon"

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="cycles")
    change_idea = models.ForeignKey(ChangeIdea, on_delete=models.PROTECT, related_name="cycles")
    title = models.CharField(max_length=200)
    owner = models.CharField(max_length=100, blank=True)
    start = models.DateField(null=True, blank=True)
    end = models.DateField(null=True, blank=True)
    question = BoundedTextField(
        max_length=NOTE_MAX_LENGTH, help_text="What question will this test answer?"
    )
    prediction = BoundedTextField(max_length=NOTE_MAX_LENGTH)
    measures = models.ManyToManyField(Measure, blank=True, related_name="cycles")
    plan = BoundedTextField(
        max_length=NARRATIVE_MAX_LENGTH,
        blank=True,
        help_text="Who, what, when, where; how data are collected.",
    )
    do_notes = BoundedTextField(
        max_length=NARRATIVE_MAX_LENGTH, blank=True, verbose_name="what happened"
    )
    executed_as_planned = models.BooleanField(null=True, blank=True)
    study = BoundedTextField(
        max_length=NARRATIVE_MAX_LENGTH,
        blank=True,
        help_text="Results against the prediction; surprises.",
    )
    decision = models.CharField(max_length=10, choices=Decision.choices, blank=True)
    next_steps = BoundedTextField(max_length=NOTE_MAX_LENGTH, blank=True)

    class Meta:
        ordering = ["start", "id"]
        verbose_name = "PDSA cycle"

    def __str__(self) -> str:
        return self.title

    @property
    def phase(self) -> str:
        """Where the cycle stands: Plan, Do, Study, Act or Done."""
        if self.decision:
            return "Done"
        if self.study:
            return "Act"
        if self.do_notes or self.executed_as_planned is not None:
            return "Study"
        if self.start is not None:
            return "Do"
        return "Plan"


class LearningEvent(Versioned):
    """A training or network meeting the COE runs for its districts."""

    class Kind(models.TextChoices):
        TRAINING = "training", "Training"
        NETWORK = "network", "Network"

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        VIRTUAL = "virtual", "Virtual"
        HYBRID = "hybrid", "Hybrid"

    county = models.ForeignKey(County, on_delete=models.CASCADE, related_name="learning_events")
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.TRAINING)
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.IN_PERSON)
    location = models.CharField(max_length=200, blank=True, help_text="A place or a meeting link.")
    description = BoundedTextField(max_length=NARRATIVE_MAX_LENGTH, blank=True)

    class Meta:
        verbose_name = "training or network"
        verbose_name_plural = "trainings and networks"
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.title


class LearningSession(Versioned):
    """One session of a training or network."""

    event = models.ForeignKey(LearningEvent, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(max_length=200)
    date = models.DateField()
    notes = BoundedTextField(max_length=NARRATIVE_MAX_LENGTH, blank=True)

    class Meta:
        verbose_name = "session"
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return f"{self.date} {self.title}"


class Attendance(Versioned):
    """How many people of one role from one LEA attended a session."""

    class Role(models.TextChoices):
        DISTRICT_LEADER = "district_leader", "District leader"
        PRINCIPAL = "principal", "Principal or site leader"
        TEACHER = "teacher", "Teacher"
        COUNSELOR = "counselor", "Counselor or clinician"
        STAFF = "staff", "Other staff"
        COE = "coe", "COE staff"

    session = models.ForeignKey(
        LearningSession, on_delete=models.CASCADE, related_name="attendance"
    )
    lea = models.ForeignKey(Lea, on_delete=models.CASCADE, related_name="+", verbose_name="LEA")
    role = models.CharField(max_length=20, choices=Role.choices)
    count = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["lea__name", "role"]
        constraints = [
            models.UniqueConstraint(fields=["session", "lea", "role"], name="attendance_once")
        ]

    def __str__(self) -> str:
        return f"{self.lea} {self.get_role_display()}: {self.count}"


class Material(Versioned):
    """A material of a training or network: a title and where to find it."""

    event = models.ForeignKey(LearningEvent, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(max_length=200)
    url = models.URLField(max_length=500, verbose_name="link")

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title
