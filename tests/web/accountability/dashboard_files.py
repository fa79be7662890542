"""Small CDE-format Dashboard download files written by tests, for the personas' world."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from django.forms.models import model_to_dict

from continuum.web.accountability.models import IndicatorResult

HEADER = (
    "cds", "rtype", "schoolname", "districtname", "countyname", "charter_flag", "coe_flag",
    "dass_flag", "studentgroup", "currdenom", "currstatus", "priordenom", "priorstatus",
    "change", "hscutpoints",
)  # fmt: skip
STATE_CDS = "00000000000000"


@dataclass(frozen=True)
class Row:
    """One entity × student group of a file: its status this year and last year."""

    cds: str
    rtype: str
    name: str
    studentgroup: str = "ALL"
    currstatus: float = -10.0
    priorstatus: float = -12.0


def dashboard_file(directory: Path, indicator: str, year: int, rows: Iterable[Row]) -> Path:
    """Write ``{indicator}download{year}.txt`` (``ela``, ``math``, …) holding these rows."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{indicator}download{year}.txt"
    lines = ["\t".join(HEADER)]
    for row in rows:
        school = row.name if row.rtype == "S" else ""
        district = row.name if row.rtype != "S" else "A District"
        change = round(row.currstatus - row.priorstatus, 1)
        fields = (
            row.cds, row.rtype, school, district, "A County", "N", "N", "N", row.studentgroup,
            "120", str(row.currstatus), "118", str(row.priorstatus), str(change), "",
        )  # fmt: skip
        lines.append("\t".join(fields))
    path.write_text("\n".join(lines) + "\n")
    return path


def stored_rows(**filters: object) -> list[dict[str, object]]:
    """Every column of the stored results (ids included) matching ``filters``, in id order."""
    return [
        {**model_to_dict(result), "id": result.pk}
        for result in IndicatorResult.objects.filter(**filters).order_by("id")
    ]


def state_rows(groups: Sequence[str] = ("ALL",)) -> list[Row]:
    """The state row (rtype X) for these student groups."""
    return [Row(STATE_CDS, "X", "State of California", group, 5.0, 4.0) for group in groups]
