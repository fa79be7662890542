"""The student files a district downloads, for synthetic students: a year's TOMS CAASPP and
Summative ELPAC Student Score Data Files (``synth.toms``), CALPADS SENR, SELA and STAS ODS
extracts (``synth.calpads``) and the five CALPADS report CSVs (``synth.calpads_reports``), each
under the name its source gives it, clean or re-saved by a spreadsheet."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from continuum.dashboard.students.inputs import StudentRecords
from continuum.formats.calpads_reports import report_layouts
from continuum.formats.toms import CARET, COMMA, TomsLayout, toms_layouts
from continuum.synth.calpads import sela_fields, senr_fields, stas_fields, write_calpads_extract
from continuum.synth.calpads_reports import (
    absence_fields,
    cohort_fields,
    completer_fields,
    incident_fields,
    profile_fields,
    write_calpads_report,
)
from continuum.synth.toms import caaspp_fields, elpac_fields, write_toms_file

TOMS_NAMES = {
    "CAASPP": "CAASPP_Student_Score_Data_File",
    "ELPAC": "Summative_ELPAC_and_Summative_Alternate_ELPAC_Student_Score_Data_File",
}


def delimited_layout(test: str, year: int) -> TomsLayout:
    """The TOMS layout with a header of ``test`` (CAASPP, ELPAC) for Dashboard ``year``."""
    for layout in toms_layouts():
        if layout.test == test and layout.year == year and layout.columns:
            return layout
    raise ValueError(f"no delimited TOMS {test} layout for {year}")


def _required(table: pl.DataFrame | None, name: str) -> pl.DataFrame:
    if table is None:
        raise ValueError(f"the synthetic records have no {name} table")
    return table


def write_student_files(
    records: StudentRecords, out: Path, *, year: int, cds: str, damaged: bool = False
) -> dict[str, int]:
    """Write ``year``'s files for ``records`` to ``out`` (TOMS files named for the LEA ``cds``);
    records per file name."""
    out.mkdir(parents=True, exist_ok=True)
    written: dict[str, int] = {}
    in_year = pl.col("year") == year
    toms = {
        "CAASPP": caaspp_fields(_required(records.caaspp, "caaspp").filter(in_year)),
        "ELPAC": elpac_fields(_required(records.elpac, "elpac").filter(in_year), year),
    }
    shape, suffix = (COMMA, ".csv") if damaged else (CARET, "_DLMTR.csv")
    for test, fields in toms.items():
        name = f"{cds}_{TOMS_NAMES[test]}_EnrolledStudentScoreData_{year}{suffix}"
        layout = delimited_layout(test, year)
        write_toms_file(fields, layout, out / name, shape=shape, damaged=damaged)
        written[name] = fields.height
    enrollments = records.enrollments.filter(in_year)
    attendance = _required(records.attendance, "attendance")
    extracts = {
        "SENR": senr_fields(enrollments),
        "SELA": sela_fields(records.students.filter(in_year), enrollments),
        "STAS": stas_fields(attendance.filter(in_year)),
    }
    for record_type, fields in extracts.items():
        name = f"{record_type}_{year - 1}-{year % 100:02d}.txt"
        write_calpads_extract(fields, record_type, out / name, damaged=damaged)
        written[name] = fields.height
    graduation = _required(records.graduation, "graduation")
    suspensions = _required(records.suspensions, "suspensions")
    reports = {
        "1.23": completer_fields(graduation, records.students, year),
        "14.2": absence_fields(attendance, records.enrollments, year),
        "15.2": cohort_fields(graduation, records.students, year),
        "7.12": incident_fields(suspensions, records.enrollments, year),
        "8.1": profile_fields(records.students, records.enrollments, year),
    }
    for number, fields in reports.items():
        name = f"{report_layouts()[number].file_stem}_{year - 1}-{year % 100:02d}.csv"
        write_calpads_report(fields, number, out / name, damaged=damaged)
        written[name] = fields.height
    return written
