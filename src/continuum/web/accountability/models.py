"""Stored Dashboard results and support determinations, by year, and the imports that made them.

Rows are keyed by Dashboard year, indicator, CDS code and student group, as in CDE's files. An
import replaces, for each (year, indicator) its files hold, the rows of the entities they cover
(``docs/web/imports.md``); it keeps what it replaced, so that a restore can put it back.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ResultYear(models.Model):
    """A Dashboard year with stored results: the history of imports, one row per year."""

    year = models.PositiveSmallIntegerField(unique=True)
    rows = models.PositiveIntegerField()
    imported_at = models.DateTimeField()

    class Meta:
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)


class IndicatorResult(models.Model):
    """One row of the Dashboard engine's levels table: an entity × student group × indicator."""

    year = models.PositiveSmallIntegerField()
    cds = models.CharField(max_length=14)
    rtype = models.CharField(max_length=1, help_text="S school, D district/COE, X state.")
    name = models.CharField(max_length=200)
    charter = models.BooleanField(default=False)
    coe = models.BooleanField(default=False)
    studentgroup = models.CharField(max_length=8)
    indicator = models.CharField(max_length=10)
    type = models.CharField(max_length=4, blank=True)
    currdenom = models.FloatField(null=True)
    priordenom = models.FloatField(null=True)
    currstatus = models.FloatField(null=True)
    priorstatus = models.FloatField(null=True)
    change = models.FloatField(null=True)
    statuslevel = models.PositiveSmallIntegerField(default=0)
    changelevel = models.PositiveSmallIntegerField(default=0)
    color = models.PositiveSmallIntegerField(default=0)
    box = models.PositiveSmallIntegerField(default=0)
    explanation = models.TextField(blank=True)
    source_file = models.CharField(
        max_length=255, blank=True, help_text="The name of the file the row was read from."
    )
    source_line = models.PositiveIntegerField(
        null=True, help_text="Its line in that file (the header is line 1); none if not recorded."
    )

    class Meta:
        indexes = [models.Index(fields=["year", "cds"]), models.Index(fields=["cds", "indicator"])]

    def __str__(self) -> str:
        return f"{self.year} {self.cds} {self.studentgroup} {self.indicator}"


class DaResult(models.Model):
    """An LEA's Differentiated Assistance / Level 3 determination for one year."""

    year = models.PositiveSmallIntegerField()
    cds = models.CharField(max_length=14)
    name = models.CharField(max_length=200)
    entity = models.CharField(max_length=20)
    status = models.CharField(max_length=80, blank=True)
    groups = models.JSONField(default=dict, help_text="Student group → CDE priority code (A–K).")
    total_groups = models.PositiveSmallIntegerField(null=True)
    level3 = models.CharField(max_length=20, blank=True, help_text="CDE's EC52072 flag.")
    explanation = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["year", "cds"], name="da_year_cds")]

    def __str__(self) -> str:
        return f"{self.year} {self.cds} {self.status}"


class DaEvidence(models.Model):
    """One indicator result behind a priority a student group met (the DA evidence chain)."""

    year = models.PositiveSmallIntegerField()
    cds = models.CharField(max_length=14)
    studentgroup = models.CharField(max_length=8)
    priority = models.PositiveSmallIntegerField()
    criterion = models.CharField(max_length=200)
    indicator = models.CharField(max_length=10)
    color = models.PositiveSmallIntegerField(null=True)
    statuslevel = models.PositiveSmallIntegerField(null=True)
    currstatus = models.FloatField(null=True)
    change = models.FloatField(null=True)
    currdenom = models.FloatField(null=True)

    class Meta:
        indexes = [models.Index(fields=["year", "cds"])]

    def __str__(self) -> str:
        return f"{self.year} {self.cds} {self.studentgroup} priority {self.priority}"


class EssaResult(models.Model):
    """A school's ESSA determination (CSI, ATSI, TSI) for one year."""

    year = models.PositiveSmallIntegerField()
    cds = models.CharField(max_length=14)
    status = models.CharField(max_length=80, blank=True)
    groups = models.JSONField(
        default=list, help_text="Student groups that make the school ATSI or TSI."
    )
    explanation = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["year", "cds"], name="essa_year_cds")]

    def __str__(self) -> str:
        return f"{self.year} {self.cds} {self.status}"


class DashboardImport(models.Model):
    """One upload of Dashboard files: read and previewed by the background worker, committed
    once confirmed, and (once committed) a version that a restore can undo."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        REVIEW = "review", "Ready for review"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"
        DISCARDED = "discarded", "Discarded"
        UNDONE = "undone", "Undone by a restore"

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    county = models.ForeignKey(
        "agencies.County",
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The importer's county; empty for an operator's import (CLI without --user).",
    )
    counties = models.ManyToManyField(
        "agencies.County", related_name="+", help_text="Counties whose results the files cover."
    )
    confirmed_at = models.DateTimeField(
        null=True, help_text="When the preview was confirmed (the CLI confirms at once)."
    )
    committed_at = models.DateTimeField(null=True)
    undone_at = models.DateTimeField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent done.")
    step = models.CharField(max_length=200, blank=True)
    directory = models.CharField(max_length=300, help_text="Where the uploaded files are kept.")
    file_names = models.JSONField(default=list)
    report = models.JSONField(default=dict)
    files_removed_at = models.DateTimeField(
        null=True, help_text="When the uploaded files were removed (retention period over)."
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"import {self.pk} ({self.status})"


class ReplacedUnits(models.Model):
    """Units (Dashboard year, indicator, entities) a committed import replaced, with every row
    they held just before it (compressed JSON, ids included), so that a restore can put them
    back exactly. One row per up to ``UNITS_PER_CHUNK`` entities of one year and indicator."""

    dashboard_import = models.ForeignKey(
        DashboardImport, on_delete=models.CASCADE, related_name="replaced_units"
    )
    year = models.PositiveSmallIntegerField()
    indicator = models.CharField(max_length=10)
    entities = models.JSONField(default=list, help_text="CDS codes of the entities replaced.")
    shared = models.JSONField(
        default=list, help_text="Which of them are the state (rtype X), shared by every county."
    )
    rows_before = models.BinaryField(help_text="zlib-compressed JSON list of the rows before.")

    def __str__(self) -> str:
        return f"import {self.dashboard_import_id} {self.year} {self.indicator}"


class ResultLock(models.Model):
    """One row per (Dashboard year, indicator), locked by each commit and restore that writes
    its results, so that two of them never interleave."""

    year = models.PositiveSmallIntegerField()
    indicator = models.CharField(max_length=10)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["year", "indicator"], name="result_lock_unit")
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.indicator}"
