"""An import replaces exactly what its files hold: per (year, indicator), the rows of the
entities the files cover, within the importer's county (and the state row); nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest

from continuum.errors import InputError
from continuum.web.accountability.models import IndicatorResult, ResultYear
from continuum.web.accountability.services.commit import dashboard_files_import
from continuum.web.accountability.versions import ImportRefusedError
from continuum.web.accounts.models import User
from continuum.web.agencies.models import County, Lea, School
from tests.web.accountability.dashboard_files import (
    STATE_CDS,
    Row,
    dashboard_file,
    state_rows,
    stored_rows,
)
from tests.web.personas import World, other_county_admin_create

pytestmark = pytest.mark.django_db


def _rio_verde_rows(world: World) -> list[Row]:
    return [
        Row(world.alder.cds, "D", world.alder.name, "ALL", 1.5),
        Row(world.alder.cds, "D", world.alder.name, "SWD", -60.0),
        Row(world.oak.cds, "S", world.oak.name, "ALL", 12.0),
    ]


def test_second_countys_import_leaves_every_other_stored_row_unchanged(
    world: World, users: dict[str, User], tmp_path: Path
) -> None:
    dora = other_county_admin_create(world)
    rio_verde = [world.alder.cds, world.birch.cds, world.oak.cds, world.pine.cds]
    before = stored_rows(cds__in=rio_verde)
    file = dashboard_file(tmp_path, "ela", 2025, [
        Row(world.cedar.cds, "D", world.cedar.name, "ALL", 30.0),
        Row(world.elm.cds, "S", world.elm.name, "ALL", 31.0),
    ])  # fmt: skip
    report = dashboard_files_import(actor=dora, paths=[file])
    assert stored_rows(cds__in=rio_verde) == before
    assert report["units"][0]["changed"] == 2 and report["units"][0]["removed"] == 2
    assert set(IndicatorResult.objects.filter(cds__startswith="35").values_list(
        "studentgroup", "currstatus")) == {("ALL", 30.0), ("ALL", 31.0)}  # fmt: skip


def test_one_corrected_indicator_file_leaves_the_years_other_indicators_unchanged(
    world: World, users: dict[str, User], tmp_path: Path
) -> None:
    rows = _rio_verde_rows(world)
    dashboard_files_import(
        actor=users["carol"],
        paths=[dashboard_file(tmp_path / "first", name, 2025, rows) for name in ("ela", "math")],
    )
    math_before = stored_rows(year=2025, indicator="MATH")
    corrected = [Row(r.cds, r.rtype, r.name, r.studentgroup, r.currstatus + 1) for r in rows]
    report = dashboard_files_import(
        actor=users["carol"], paths=[dashboard_file(tmp_path / "fix", "ela", 2025, corrected)]
    )
    assert stored_rows(year=2025, indicator="MATH") == math_before
    assert [(u["indicator"], u["changed"], u["added"], u["removed"]) for u in report["units"]] == [
        ("ELA", 3, 0, 0)
    ]


def test_statewide_file_imported_by_a_county_stores_only_its_county_and_the_state_row(
    world: World, users: dict[str, User], tmp_path: Path
) -> None:
    other_before = stored_rows(cds__in=[world.cedar.cds, world.elm.cds])
    statewide = [
        *state_rows(),
        *_rio_verde_rows(world),
        Row(world.cedar.cds, "D", world.cedar.name, "ALL", 99.0),
        Row(world.elm.cds, "S", world.elm.name, "ALL", 99.0),
        Row("36677360000000", "D", "Unknown Unified", "ALL", 99.0),
        Row("36677360000000", "D", "Unknown Unified", "SWD", 99.0),
    ]
    report = dashboard_files_import(
        actor=users["carol"], paths=[dashboard_file(tmp_path, "ela", 2025, statewide)]
    )
    assert stored_rows(cds__in=[world.cedar.cds, world.elm.cds]) == other_before
    assert IndicatorResult.objects.filter(cds=STATE_CDS, rtype="X").count() == 1
    assert report["left_out"] == {
        "other_county": {"rows": 2, "entities": 2, "sample": [world.cedar.cds, world.elm.cds]},
        "not_in_directory": {"rows": 2, "entities": 1, "sample": ["36677360000000"]},
    }
    assert report["rows"] == 4 and report["counties"] == [world.county.code]
    assert not IndicatorResult.objects.filter(cds="36677360000000").exists()


def test_import_creates_no_agency_for_entities_not_in_the_directory(
    world: World, tmp_path: Path
) -> None:
    counts = County.objects.count(), Lea.objects.count(), School.objects.count()
    file = dashboard_file(tmp_path, "ela", 2025, [
        Row("99000000000000", "D", "Stray", "ALL"), Row("99000001234567", "S", "Stray school"),
    ])  # fmt: skip
    report = dashboard_files_import(actor=None, paths=[file])
    assert (County.objects.count(), Lea.objects.count(), School.objects.count()) == counts
    assert report["left_out"]["not_in_directory"]["rows"] == 2 and report["units"] == []


def test_rows_a_file_no_longer_has_are_removed_only_for_the_entities_it_covers(
    world: World, users: dict[str, User], tmp_path: Path
) -> None:
    file = dashboard_file(tmp_path, "ela", 2025, [Row(world.alder.cds, "D", world.alder.name)])
    report = dashboard_files_import(actor=users["carol"], paths=[file])
    assert report["units"][0] | {"sample": []} == {
        "year": 2025, "indicator": "ELA", "entities": 1, "added": 0, "changed": 1,
        "unchanged": 0, "removed": 1, "sample": [],
    }  # fmt: skip
    assert list(IndicatorResult.objects.filter(cds=world.alder.cds).values_list(
        "studentgroup", flat=True)) == ["ALL"]  # fmt: skip
    assert IndicatorResult.objects.filter(cds=world.birch.cds).count() == 2
    assert (
        ResultYear.objects.get(year=2025).rows == IndicatorResult.objects.filter(year=2025).count()
    )


def test_changed_rows_keep_their_ids_and_the_preview_samples_old_and_new_values(
    world: World, users: dict[str, User], tmp_path: Path
) -> None:
    file = dashboard_file(
        tmp_path, "ela", 2025, [Row(world.oak.cds, "S", world.oak.name, "ALL", 7.5)]
    )
    report = dashboard_files_import(actor=users["carol"], paths=[file])
    world.oak_result.refresh_from_db()
    assert world.oak_result.currstatus == 7.5
    columns = {
        c["column"]: (c["before"], c["after"]) for c in report["units"][0]["sample"][0]["columns"]
    }
    assert columns["currstatus"] == ("-40.5", "7.5")


def test_the_same_row_in_two_files_is_refused_naming_both_files_and_lines(
    world: World, tmp_path: Path
) -> None:
    rows = [Row(world.alder.cds, "D", world.alder.name), Row(world.oak.cds, "S", world.oak.name)]
    first = dashboard_file(tmp_path, "ela", 2025, rows)
    second = dashboard_file(tmp_path / "b", "ela", 2025, rows[1:]).rename(
        tmp_path / "eladownload2025-corrected.txt"
    )
    before = stored_rows()
    with pytest.raises(InputError) as raised:
        dashboard_files_import(actor=None, paths=[first, second])
    assert (raised.value.path, raised.value.line) == (str(first), 3)
    assert (
        f"{world.oak.cds} ALL (ELA 2025) appears 2 times: eladownload2025.txt line 3; "
        "eladownload2025-corrected.txt line 2" in raised.value.message
    )
    assert stored_rows() == before


def test_a_user_who_administers_no_county_cannot_import(
    world: World, users: dict[str, User], tmp_path: Path
) -> None:
    file = dashboard_file(tmp_path, "ela", 2025, [Row(world.alder.cds, "D", world.alder.name)])
    with pytest.raises(ImportRefusedError, match="only county administrators"):
        dashboard_files_import(actor=users["alice"], paths=[file])
