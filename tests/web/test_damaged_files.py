"""Damaged files fed to every import path are refused, naming the file (and the line where the
damage has one), with a short message, and the stored data is unchanged."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from continuum.errors import InputError
from continuum.web.accountability.models import DaResult, EssaResult, IndicatorResult, ResultYear
from continuum.web.accountability.services.commit import dashboard_files_import
from continuum.web.accountability.services.title_i import schools_title_i_import
from continuum.web.agencies.models import County, Lea, School
from continuum.web.agencies.services import DIRECTORY_COLUMNS, agencies_import_directory
from continuum.web.audit.models import AuditEvent
from tests.web.personas import World
from tests.workbooks import with_dimension, workbook_write

pytestmark = pytest.mark.django_db
EXAMPLES = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
STORED = (County, Lea, School, ResultYear, IndicatorResult, DaResult, EssaResult, AuditEvent)

DASHBOARD_HEADER = (
    "cds\trtype\tschoolname\tdistrictname\tcountyname\tcharter_flag\tcoe_flag\tdass_flag\t"
    "studentgroup\tcurrnumer\tcurrdenom\tcurrstatus\tpriornumer\tpriordenom\tpriorstatus\t"
    "change\tstatuslevel\tchangelevel\tcolor\tbox\tindicator\treportingyear"
)
# The columns whose every value the Dashboard reader checks row by row (the indicator and year
# are checked once for the whole file).
DASHBOARD_READ = DASHBOARD_HEADER.split("\t")[:20]
GROUPS = ("ALL", "EL", "SED", "SWD", "HI", "WH", "AS", "AA")
DASHBOARD_ROWS = [
    f"3460001000000{n}\tD\t\tAlder Unified\tRio Verde\t\t\t\t{group}\t120\t1000\t12.0\t150\t"
    f"1000\t15.0\t-3.0\t2\t5\t3\t200\tCHRO\t2025"
    for n in range(2)
    for group in GROUPS
]
DIRECTORY_ROWS = [
    "\t".join(("0601", f"346000100{n:05d}", "Active", "Rio Verde", "Alder Unified",
               f"School {n}", "N", "54", "Elementary Schools (Public)", "TRAD", "K-5", "K-5",
               "38.5"))
    for n in range(1, 9)
]  # fmt: skip
DIRECTORY_HEADER = "\t".join(("NCESDist", *DIRECTORY_COLUMNS, "Latitude"))
TITLE_I_ROWS = [f"346000100{n:05d},{'Yes' if n % 2 else 'No'}" for n in range(1, 9)]


def _stored() -> str:
    """A checksum of every stored row an import could touch."""
    digest = hashlib.sha256()
    for model in STORED:
        for row in model.objects.order_by("pk").values_list():
            digest.update(repr(row).encode())
    return digest.hexdigest()


# Each damage takes the file's lines (header first) and gives the damaged bytes and the line
# the message must name (None: the damage has no line, e.g. a whole file in UTF-16).
Damage = tuple[bytes, int | None]


@st.composite
def damaged(
    draw: st.DrawFn, header: str, rows: list[str], separator: str, read: Collection[str]
) -> Damage:
    """A damaged copy of the file; ``read`` names the columns the import reads."""
    lines = [header, *rows]
    index = draw(st.integers(1, len(rows)))
    line = index + 1
    kind = draw(
        st.sampled_from(["truncated", "duplicated", "encoding", "control", "huge", "fields"])
    )
    if kind == "truncated":
        # Cut inside a row, before its last separator: the row is short of fields.
        cut = draw(st.integers(1, lines[index].rfind(separator) - 1))
        return ("\n".join(lines[:index]) + "\n" + lines[index][:cut]).encode(), line
    if kind == "duplicated":
        at = draw(st.integers(1, len(lines)))
        copied = [*lines[:at], lines[index], *lines[at:]]
        first = copied.index(lines[index]) + 1
        return ("\n".join(copied) + "\n").encode(), first
    if kind == "encoding":
        codec = draw(st.sampled_from(["utf-16", "utf-16-le", "utf-16-be", "utf-32"]))
        return ("\n".join(lines) + "\n").encode(codec), None
    fields = lines[index].split(separator)
    if kind == "control":
        byte = draw(st.sampled_from([0, 1, 8, 0x0B, 0x1F, 0x7F]))
        column = draw(st.integers(0, len(fields) - 1))
        fields[column] += chr(byte)
    elif kind == "huge":
        # A huge value in a column the import never reads is ignored, not stored: only the
        # columns it reads must refuse one.
        names = header.split(separator)
        column = draw(st.sampled_from([i for i, name in enumerate(names) if name in read]))
        size = draw(st.integers(300, 200_000))
        fields[column] = draw(st.sampled_from("abcxyzQ")) * size
    else:
        if draw(st.booleans()):
            fields.insert(draw(st.integers(0, len(fields))), "extra")
        else:
            del fields[draw(st.integers(0, len(fields) - 1))]
    lines[index] = separator.join(fields)
    return ("\n".join(lines) + "\n").encode(), line


def _assert_refused(
    read: Callable[[], object], path: Path, line: int | None, before: str
) -> InputError:
    with pytest.raises(InputError) as raised:
        read()
    error = raised.value
    assert str(error.path) == str(path) and str(path) in str(error)
    if line is not None:
        assert error.line == line, str(error)
    assert len(error.message) <= 300 and len(str(error)) < len(str(path)) + 400
    assert _stored() == before
    return error


@EXAMPLES
@given(damage=damaged(DASHBOARD_HEADER, DASHBOARD_ROWS, "\t", DASHBOARD_READ))
def test_damaged_dashboard_files_are_refused_and_change_nothing(
    world: World, tmp_path_factory: pytest.TempPathFactory, damage: Damage
) -> None:
    data, line = damage
    path = tmp_path_factory.mktemp("dashboard") / "chronicdownload2025.txt"
    path.write_bytes(data)
    before = _stored()
    _assert_refused(lambda: dashboard_files_import(actor=None, paths=[path]), path, line, before)


@EXAMPLES
@given(
    rows=st.integers(1_000_001, 1_048_576),
    column=st.sampled_from(["V", "AZ", "ZZ", "XFD"]),
)
def test_dashboard_workbooks_declaring_huge_sheets_are_refused(
    world: World, tmp_path_factory: pytest.TempPathFactory, rows: int, column: str
) -> None:
    folder = tmp_path_factory.mktemp("xlsx")
    small = workbook_write(
        folder / "small.xlsx",
        [DASHBOARD_HEADER.split("\t"), *(r.split("\t") for r in DASHBOARD_ROWS)],
    )
    path = with_dimension(small, folder / "chronicdownload2025.xlsx", f"A1:{column}{rows}")
    before = _stored()
    error = _assert_refused(
        lambda: dashboard_files_import(actor=None, paths=[path]), path, None, before
    )
    assert "CONTINUUM_XLSX_MAX" in error.message


@EXAMPLES
@given(damage=damaged(DIRECTORY_HEADER, DIRECTORY_ROWS, "\t", DIRECTORY_COLUMNS))
def test_damaged_directory_files_are_refused_and_change_nothing(
    world: World, tmp_path_factory: pytest.TempPathFactory, damage: Damage
) -> None:
    data, line = damage
    path = tmp_path_factory.mktemp("directory") / "pubschls.txt"
    path.write_bytes(data)
    before = _stored()
    _assert_refused(lambda: agencies_import_directory(actor=None, path=path), path, line, before)


@EXAMPLES
@given(damage=damaged("cds,title_i", TITLE_I_ROWS, ",", ("cds", "title_i")))
def test_damaged_title_i_files_are_refused_and_change_nothing(
    world: World, tmp_path_factory: pytest.TempPathFactory, damage: Damage
) -> None:
    data, line = damage
    path = tmp_path_factory.mktemp("title_i") / "title_i.csv"
    path.write_bytes(data)
    before = _stored()
    _assert_refused(lambda: schools_title_i_import(actor=None, path=path), path, line, before)
