"""Build small sets of student records for tests, as the tables a district would hand over."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from continuum.dashboard.students.inputs import SPECS, StudentRecords, read_student_records

DISTRICT = "01611920000000"
SCHOOL = "01611920111111"
OTHER_SCHOOL = "01611920222222"
OTHER_DISTRICT = "01611500000000"
OTHER_DISTRICT_SCHOOL = "01611500333333"

STUDENT_DEFAULTS: dict[str, str] = {
    "race": "HI", "el_status": "EO", "rfep_date": "", "ltel": "N", "sed": "N", "swd": "N",
    "foster": "N", "homeless": "N", "dsea": "", "us_entry_date": "",
}  # fmt: skip


@dataclass
class District:
    """Rows per table, every value as text; ``write`` makes the CSV files."""

    rows: dict[str, list[dict[str, str]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for cds, rtype, name, kind in (
            (DISTRICT, "D", "", "UD"),
            (SCHOOL, "S", "Amber Elementary", "ES"),
            (OTHER_SCHOOL, "S", "Beryl Middle", "MS"),
            (OTHER_DISTRICT, "D", "", "UD"),
            (OTHER_DISTRICT_SCHOOL, "S", "Coral Elementary", "ES"),
        ):
            district = "Jade Unified" if cds.startswith("0161192") else "Pearl Unified"
            self.add(
                "entities",
                cds=cds, rtype=rtype, name=name or district, district_name=district,
                county_name="Alameda", charter="N", coe="N", dass="N", title_i="Y", type=kind,
            )  # fmt: skip

    def add(self, table: str, **values: object) -> None:
        self.rows.setdefault(table, []).append({k: str(v) for k, v in values.items()})

    def student(self, student_id: str, year: int = 2025, **values: str) -> None:
        self.add("students", year=year, student_id=student_id, **{**STUDENT_DEFAULTS, **values})

    def enrol(
        self,
        student_id: str,
        *,
        year: int = 2025,
        cds: str = SCHOOL,
        grade: str = "4",
        start: str | None = None,
        end: str = "",
        status: str = "10",
    ) -> None:
        self.add(
            "enrollments",
            year=year,
            student_id=student_id,
            cds=cds,
            grade=grade,
            start_date=start or f"{year - 1}-08-20",
            end_date=end,
            status=status,
        )

    def write(self, directory: Path) -> Path:
        directory.mkdir(parents=True, exist_ok=True)
        required: dict[str, list[dict[str, str]]] = {
            name: [] for name, spec in SPECS.items() if spec.required
        }
        for table, rows in {**required, **self.rows}.items():
            columns = [c.name for c in SPECS[table].columns]
            frame = pl.DataFrame(
                {c: [row.get(c, "") for row in rows] for c in columns},
                schema=dict.fromkeys(columns, pl.String),
            )
            frame.write_csv(directory / f"{SPECS[table].stem}.csv")
        return directory

    def read(self, directory: Path) -> StudentRecords:
        return read_student_records(self.write(directory))
