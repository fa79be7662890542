"""Counties, local educational agencies (districts, county offices, charters) and schools.

Every entity is identified by its 14-digit CDS code, as CDE identifies it: a county office or
district ends in seven zeros; a school's first seven digits are its district's (for a charter,
its authoriser's).
"""

from __future__ import annotations

from django.db import models


class County(models.Model):
    """A county and its county office of education."""

    code = models.CharField(max_length=2, unique=True)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name_plural = "counties"

    def __str__(self) -> str:
        return f"{self.name} County"


class Lea(models.Model):
    """A local educational agency: a school district, the county office or a charter school
    (which is its own LEA for Differentiated Assistance)."""

    class Kind(models.TextChoices):
        COE = "coe", "County office of education"
        UNIFIED = "unified", "Unified school district"
        ELEMENTARY = "elementary", "Elementary school district"
        HIGH = "high", "High school district"
        CHARTER = "charter", "Charter school"
        OTHER = "other", "Other LEA"

    cds = models.CharField(max_length=14, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="leas")

    class Meta:
        ordering = ["name"]
        verbose_name = "LEA"

    def __str__(self) -> str:
        return self.name


class School(models.Model):
    """A school, with the LEA that runs it (or, for a charter, authorised it)."""

    cds = models.CharField(max_length=14, unique=True)
    name = models.CharField(max_length=200)
    lea = models.ForeignKey(Lea, on_delete=models.PROTECT, related_name="schools")
    kind = models.CharField(max_length=60, help_text="School type, as CDE's directory names it.")
    low_grade = models.CharField(max_length=3, blank=True)
    high_grade = models.CharField(max_length=3, blank=True)
    charter = models.BooleanField(default=False)
    dass = models.BooleanField(default=False, help_text="Dashboard Alternative School Status.")
    title_i = models.BooleanField(
        null=True, blank=True, verbose_name="Title I-funded",
        help_text="For ESSA CSI Low Performing; unknown until imported (CDE's directory lacks it).",
    )  # fmt: skip

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def grade_span(self) -> str:
        """The grades served, e.g. 'K–5'; blank when the directory does not say."""
        if not self.low_grade:
            return ""
        return f"{self.low_grade}–{self.high_grade}"
