"""Writes to the agency tables: imports from CDE's school directory and the synthetic county."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction

from continuum.errors import InputError, excerpt
from continuum.formats.text import open_text
from continuum.synth import county_entities, statewide_entities
from continuum.tables import csv_rows
from continuum.web.agencies.models import County, Lea, School
from continuum.web.audit.changes import Changes, audit_changes, audit_snapshot
from continuum.web.audit.services import audit_event_record

# CDE's directory (pubschls.txt): the columns read, documented in docs/web/agencies.md.
DIRECTORY_COLUMNS = (
    "CDSCode",
    "StatusType",
    "County",
    "District",
    "School",
    "Charter",
    "DOC",
    "SOCType",
    "EdOpsCode",
    "GSserved",
    "GSoffered",
)
# District ownership codes (DOC) of the directory and the LEA kinds they mean.
DOC_KINDS = {
    "00": Lea.Kind.COE,
    "52": Lea.Kind.ELEMENTARY,
    "54": Lea.Kind.UNIFIED,
    "56": Lea.Kind.HIGH,
}
# No value of the directory is longer (names are at most 200 characters where they are stored).
MAX_VALUE_LENGTH = 200
DIRECTORY_STATUSES = frozenset({"Active", "Pending"})
# The synthetic generator's school kinds, named as CDE's directory names school types.
SYNTH_SCHOOL_TYPES = {
    "elementary": ("Elementary Schools (Public)", "K", "5"),
    "middle": ("Intermediate/Middle Schools (Public)", "6", "8"),
    "high": ("High Schools (Public)", "9", "12"),
    "k12": ("K-12 Schools (Public)", "K", "12"),
    "alternative": ("Continuation High Schools", "9", "12"),
}


@dataclass(frozen=True)
class AgencyRecord:
    """One LEA or school as an import source describes it, before it is stored."""

    cds: str
    name: str
    county_name: str
    lea_kind: str = ""
    school_type: str = ""
    low_grade: str = ""
    high_grade: str = ""
    charter: bool = False
    dass: bool = False
    title_i: bool | None = None  # None: the source does not say (CDE's directory)

    @property
    def is_school(self) -> bool:
        """True for a school row (a CDS code not ending in seven zeros)."""
        return not self.cds.endswith("0000000")


def agencies_import_synthetic(
    *, actor: AbstractBaseUser | None, seed: int, statewide: bool = False
) -> dict[str, int]:
    """Store the synthetic demo county's county office, districts and schools (the same ones
    ``continuum synth county --seed SEED`` writes Dashboard rows for), or with ``statewide``
    those of ``continuum synth statewide --seed SEED``."""
    entities = (statewide_entities if statewide else county_entities)(seed=seed)
    kinds = {"Y": Lea.Kind.COE}
    records = [
        AgencyRecord(
            cds=row["cds"],
            name=row["districtname"],
            county_name=row["countyname"],
            lea_kind=kinds.get(row["coe_flag"] or "", _synth_lea_kind(row["suspension_type"])),
        )
        for row in entities.leas.iter_rows(named=True)
    ]
    for row in entities.schools.iter_rows(named=True):
        school_type, low, high = SYNTH_SCHOOL_TYPES[row["kind"]]
        records.append(
            AgencyRecord(
                cds=row["cds"],
                name=row["schoolname"],
                county_name=row["countyname"],
                school_type=school_type,
                low_grade=low,
                high_grade=high,
                charter=row["charter_flag"] == "Y",
                dass=row["dass_flag"] == "Y",
                title_i=row["title_i"],
            )
        )
    county_code = "" if statewide else records[0].cds[:2]
    return _import(actor, records, county_code, {"source": "synthetic", "seed": seed})


def agencies_import_directory(
    *, actor: AbstractBaseUser | None, path: Path, county_code: str | None = None
) -> dict[str, int]:
    """Store the LEAs and schools of CDE's public school directory file (pubschls.txt), or of
    one county of it; active and pending entities only."""
    records = list(_directory_records(path, county_code))
    if not records:
        raise InputError(path, "has no active LEA or school rows for this county")
    return _import(actor, records, county_code or "", {"source": "directory", "file": path.name})


def _import(
    actor: AbstractBaseUser | None,
    records: list[AgencyRecord],
    county_code: str,
    source: dict[str, Any],
) -> dict[str, int]:
    """Store an import's records, replacing stored names and kinds, and audit it."""
    with transaction.atomic():
        changes: Changes = {}
        counts = _store(records, changes=changes)
        audit_event_record(
            actor=actor,
            verb="agencies_import",
            subject_type="county",
            subject_id=county_code,
            county=County.objects.filter(code=county_code).first() if county_code else None,
            details={**source, **counts, "changed_fields": len(changes)},
            changes=changes,
        )
    return counts


def _synth_lea_kind(suspension_type: str) -> str:
    return {"ED": Lea.Kind.ELEMENTARY, "HD": Lea.Kind.HIGH}.get(suspension_type, Lea.Kind.UNIFIED)


def _directory_records(path: Path, county_code: str | None) -> Iterable[AgencyRecord]:
    try:
        with open_text(path) as file:
            reader = csv.reader(file, delimiter="\t")
            header = [name.removeprefix("\ufeff") for name in next(reader, [])]
            missing = [c for c in DIRECTORY_COLUMNS if c not in header]
            if missing:
                raise InputError(path, f"missing column(s) {', '.join(missing)}", 1, missing[0])
            first_lines: dict[str, int] = {}
            for fields in csv_rows(path, reader):
                if fields == []:
                    continue
                line = reader.line_num
                if len(fields) != len(header):
                    # Never guess which column is missing: every later value would shift.
                    raise InputError(
                        path, f"row has {len(fields)} fields but the header has {len(header)}", line
                    )
                row = dict(zip(header, fields, strict=True))
                record = _directory_record(path, line, row, county_code)
                if record is None:
                    continue
                first = first_lines.setdefault(record.cds, line)
                if first != line:
                    raise InputError(
                        path,
                        f"CDS code {record.cds} appears again on line {line}",
                        first,
                        "CDSCode",
                    )
                yield record
    except OSError as error:
        raise InputError(path, f"cannot read the file: {error.strerror or error}") from error


def _directory_record(
    path: Path, line: int, row: dict[str, str], county_code: str | None
) -> AgencyRecord | None:
    """One directory row as a record, or None for another county's or a closed entity."""
    for column in DIRECTORY_COLUMNS:
        if len(row[column]) > MAX_VALUE_LENGTH:
            raise InputError(
                path,
                f"{excerpt(row[column])} is longer than {MAX_VALUE_LENGTH} characters",
                line,
                column,
            )
    cds = row["CDSCode"].strip()
    if len(cds) != 14 or not cds.isdigit():
        raise InputError(path, f"CDS code {excerpt(cds)} is not 14 digits", line, "CDSCode")
    if (county_code and cds[:2] != county_code) or row["StatusType"] not in DIRECTORY_STATUSES:
        return None

    def value(column: str, max_length: int = MAX_VALUE_LENGTH) -> str:
        text = row[column].strip()
        if len(text) > max_length:
            raise InputError(
                path, f"{excerpt(text)} is longer than {max_length} characters", line, column
            )
        return text

    span = value("GSserved", 20) or value("GSoffered", 20)
    low, _, high = span.partition("-")
    return AgencyRecord(
        cds=cds,
        name=value("School") if cds[7:] != "0000000" else value("District"),
        county_name=value("County", 100),
        lea_kind=DOC_KINDS.get(row["DOC"].strip(), Lea.Kind.OTHER),
        school_type=value("SOCType", 60),
        low_grade=low.strip()[:3],
        high_grade=(high or low).strip()[:3],
        charter=row["Charter"].strip() == "Y",
    )


def _store(records: list[AgencyRecord], *, changes: Changes | None = None) -> dict[str, int]:
    """Create or update counties, LEAs and schools; charters also become
    LEAs of their own, as they are for Differentiated Assistance. Each stored field changed
    is added to ``changes`` as "<cds> <field>"."""
    changed: Changes = {} if changes is None else changes

    def update(record: Lea | School, values: dict[str, Any]) -> None:
        differ = [name for name, value in values.items() if getattr(record, name) != value]
        if not differ:
            return
        before = audit_snapshot(record, differ)
        for name in differ:
            setattr(record, name, values[name])
        record.save(update_fields=differ)
        found = audit_changes(before=before, after=record, fields=differ)
        changed.update({f"{record.cds} {name}": change for name, change in found.items()})

    counties = {c.code: c for c in County.objects.all()}
    for record in records:
        code = record.cds[:2]
        if code not in counties:
            name = record.county_name.removesuffix(" County")
            counties[code] = County.objects.create(code=code, name=name)
    leas = {lea.cds: lea for lea in Lea.objects.all()}
    created = {"leas": 0, "schools": 0}

    def put_lea(cds: str, name: str, kind: str, county: County) -> Lea:
        lea = leas.get(cds)
        if lea is None:
            lea = Lea.objects.create(cds=cds, name=name, kind=kind, county=county)
            leas[cds] = lea
            created["leas"] += 1
        else:
            update(lea, {"name": name, "kind": kind})
        return lea

    for record in records:
        if not record.is_school:
            put_lea(record.cds, record.name, record.lea_kind, counties[record.cds[:2]])
    schools = {school.cds: school for school in School.objects.select_related("lea")}
    for record in (r for r in records if r.is_school):
        county = counties[record.cds[:2]]
        owner_cds = record.cds[:7] + "0000000"
        owner = leas.get(owner_cds) or put_lea(owner_cds, owner_cds, Lea.Kind.OTHER, county)
        if record.charter:
            put_lea(record.cds, record.name, Lea.Kind.CHARTER, county)
        fields = {
            "name": record.name,
            "lea": owner,
            "kind": record.school_type,
            "low_grade": record.low_grade,
            "high_grade": record.high_grade,
            "charter": record.charter,
            "dass": record.dass,
        }
        if record.title_i is not None:
            fields["title_i"] = record.title_i
        school = schools.get(record.cds)
        if school is None:
            schools[record.cds] = School.objects.create(cds=record.cds, **fields)
            created["schools"] += 1
        else:
            update(school, fields)
    return {**created, "counties": len(counties)}
