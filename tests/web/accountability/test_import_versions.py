"""Preview, confirm, undo: the preview's counts are what the commit does, a preview writes
nothing, and restoring an import gives back the exact rows before it."""

from __future__ import annotations

import importlib
import json
import zlib
from pathlib import Path

import pytest
from django.apps import apps as django_apps

from continuum.web.accountability.models import (
    DaResult,
    DashboardImport,
    IndicatorResult,
    ReplacedUnits,
    ResultYear,
)
from continuum.web.accountability.services.commit import (
    dashboard_files_import,
    dashboard_files_preview,
)
from continuum.web.accountability.services.restore import dashboard_import_restore
from continuum.web.accountability.versions import ImportRefusedError
from continuum.web.accounts.models import User
from continuum.web.audit.models import AuditEvent
from tests.web.accountability.dashboard_files import (
    STATE_CDS,
    Row,
    dashboard_file,
    state_rows,
    stored_rows,
)
from tests.web.personas import World, other_county_admin_create

pytestmark = pytest.mark.django_db


def _files(world: World, directory: Path, status: float) -> list[Path]:
    """ELA and Chronic Absenteeism 2025 for Alder (with one new group), Oak, Birch, the state."""
    rows = [
        *state_rows(),
        Row(world.alder.cds, "D", world.alder.name, "ALL", status),
        Row(world.alder.cds, "D", world.alder.name, "EL", status - 20),
        Row(world.oak.cds, "S", world.oak.name, "ALL", -40.5, -37.3),
        Row(world.birch.cds, "D", world.birch.name, "ALL", status + 5),
    ]
    return [dashboard_file(directory, name, 2025, rows) for name in ("ela", "chronic")]


def test_preview_counts_equal_what_the_commit_does(
    world: World, users: dict[str, User], tmp_path: Path
) -> None:
    files = _files(world, tmp_path, 3.0)
    preview = dashboard_files_preview(actor=users["carol"], paths=files)
    before = {
        u["indicator"]: IndicatorResult.objects.filter(indicator=u["indicator"]).count()
        for u in preview["units"]
    }
    report = dashboard_files_import(actor=users["carol"], paths=files)
    assert report["units"] == preview["units"]
    for unit in preview["units"]:
        after = IndicatorResult.objects.filter(indicator=unit["indicator"]).count()
        assert after == before[unit["indicator"]] + unit["added"] - unit["removed"]
        assert unit["added"] + unit["changed"] + unit["unchanged"] == 5
    ela = next(u for u in preview["units"] if u["indicator"] == "ELA")
    assert (ela["added"], ela["changed"], ela["removed"]) == (2, 3, 3)
    again = dashboard_files_preview(actor=users["carol"], paths=files)
    assert {(u["unchanged"], u["changed"], u["added"]) for u in again["units"]} == {(5, 0, 0)}


def test_preview_writes_nothing(world: World, users: dict[str, User], tmp_path: Path) -> None:
    before = stored_rows(), DashboardImport.objects.count(), AuditEvent.objects.count()
    preview = dashboard_files_preview(actor=users["carol"], paths=_files(world, tmp_path, 3.0))
    assert preview["determination_years"] == [2025]
    assert (stored_rows(), DashboardImport.objects.count(), AuditEvent.objects.count()) == before


def test_restore_gives_back_the_exact_prior_rows(
    world: World, users: dict[str, User], tmp_path: Path
) -> None:
    before = stored_rows()
    year_rows = ResultYear.objects.get(year=2025).rows
    report = dashboard_files_import(actor=users["carol"], paths=_files(world, tmp_path, 3.0))
    assert stored_rows() != before
    restored = dashboard_import_restore(actor=users["carol"], import_id=report["import_id"])
    assert stored_rows() == before
    assert ResultYear.objects.get(year=2025).rows == year_rows
    assert restored["undone"] == [report["import_id"]] and "da" in restored["determinations"]
    run = DashboardImport.objects.get(pk=report["import_id"])
    assert run.status == DashboardImport.Status.UNDONE
    event = AuditEvent.objects.get(verb="dashboard_import_restore")
    assert event.actor_username == "carol" and event.details["undone"] == [run.pk]


def test_restore_recomputes_the_determinations(
    world: World, users: dict[str, User], tmp_path: Path
) -> None:
    report = dashboard_files_import(actor=users["carol"], paths=_files(world, tmp_path, 3.0))
    DaResult.objects.all().delete()
    dashboard_import_restore(actor=users["carol"], import_id=report["import_id"])
    assert DaResult.objects.filter(year=2025).exists()


def test_restore_undoes_later_imports_of_the_same_results_newest_first(
    world: World, users: dict[str, User], tmp_path: Path
) -> None:
    before = stored_rows()
    first = dashboard_files_import(actor=users["carol"], paths=_files(world, tmp_path / "1", 3.0))
    second = dashboard_files_import(actor=users["carol"], paths=_files(world, tmp_path / "2", 8.0))
    restored = dashboard_import_restore(actor=users["carol"], import_id=first["import_id"])
    assert restored["undone"] == [second["import_id"], first["import_id"]]
    assert stored_rows() == before


def test_restore_keeps_another_countys_later_import_and_the_state_row_it_wrote(
    world: World, users: dict[str, User], tmp_path: Path
) -> None:
    dora = other_county_admin_create(world)
    alder_before = stored_rows(cds=world.alder.cds)
    mine = dashboard_files_import(actor=users["carol"], paths=_files(world, tmp_path / "1", 3.0))
    theirs = [*state_rows(), Row(world.cedar.cds, "D", world.cedar.name, "ALL", 44.0)]
    dashboard_files_import(actor=dora, paths=[dashboard_file(tmp_path / "2", "ela", 2025, theirs)])
    sierra_alta = stored_rows(cds__in=[world.cedar.cds, world.elm.cds, STATE_CDS], indicator="ELA")
    restored = dashboard_import_restore(actor=users["carol"], import_id=mine["import_id"])
    assert restored["undone"] == [mine["import_id"]]
    assert stored_rows(cds__in=[world.cedar.cds, world.elm.cds, STATE_CDS], indicator="ELA") == (
        sierra_alta
    )
    assert stored_rows(cds=world.alder.cds) == alder_before


def test_a_county_cannot_restore_when_an_operators_later_import_would_be_undone(
    world: World, users: dict[str, User], tmp_path: Path
) -> None:
    mine = dashboard_files_import(actor=users["carol"], paths=_files(world, tmp_path / "1", 3.0))
    dashboard_files_import(actor=None, paths=_files(world, tmp_path / "2", 8.0))
    after = stored_rows()
    with pytest.raises(ImportRefusedError, match="of another county or of an operator"):
        dashboard_import_restore(actor=users["carol"], import_id=mine["import_id"])
    assert stored_rows() == after
    dora = other_county_admin_create(world)
    with pytest.raises(ImportRefusedError, match="is not an import of Sierra Alta"):
        dashboard_import_restore(actor=dora, import_id=mine["import_id"])


def test_an_undone_import_cannot_be_restored_again(
    world: World, users: dict[str, User], tmp_path: Path
) -> None:
    report = dashboard_files_import(actor=users["carol"], paths=_files(world, tmp_path, 3.0))
    dashboard_import_restore(actor=users["carol"], import_id=report["import_id"])
    with pytest.raises(ImportRefusedError, match="undone by a restore: only a committed import"):
        dashboard_import_restore(actor=users["carol"], import_id=report["import_id"])


def test_a_commit_whose_preview_no_longer_holds_is_refused(
    world: World, users: dict[str, User], tmp_path: Path
) -> None:
    files = _files(world, tmp_path / "1", 3.0)
    preview = dashboard_files_preview(actor=users["carol"], paths=files)
    dashboard_files_import(actor=users["carol"], paths=_files(world, tmp_path / "2", 8.0))
    after = stored_rows()
    with pytest.raises(ImportRefusedError, match="changed since this preview"):
        dashboard_files_import(actor=users["carol"], paths=files, expected_preview=preview)
    assert stored_rows() == after


def _import_before_versions(world: World, users: dict[str, User]) -> DashboardImport:
    """A committed import as an earlier Continuum left it: done, with no commit time, no county
    and no rows kept."""
    return DashboardImport.objects.create(
        created_by=users["carol"], directory="", file_names=["eladownload2025.txt"],
        status=DashboardImport.Status.DONE,
    )  # fmt: skip


def test_an_import_made_before_versions_cannot_be_restored_and_the_refusal_says_why(
    world: World, users: dict[str, User]
) -> None:
    old = _import_before_versions(world, users)
    old.county = world.county
    old.save()
    before = stored_rows()
    with pytest.raises(ImportRefusedError, match="made before imports kept the results they"):
        dashboard_import_restore(actor=users["carol"], import_id=old.pk)
    assert stored_rows() == before


def test_the_migration_gives_imports_made_before_versions_their_importers_county(
    world: World, users: dict[str, User]
) -> None:
    old = _import_before_versions(world, users)
    operators = DashboardImport.objects.create(directory="", status=DashboardImport.Status.DONE)
    migration = importlib.import_module(
        "continuum.web.accountability.migrations.0006_pre_versions_imports_county"
    )
    migration.imports_attributed(django_apps, None)
    old.refresh_from_db()
    operators.refresh_from_db()
    assert (old.county, operators.county) == (world.county, None)


def test_a_version_kept_before_rows_recorded_their_source_restores_them_without_one(
    world: World, users: dict[str, User], tmp_path: Path
) -> None:
    before = stored_rows()
    report = dashboard_files_import(actor=users["carol"], paths=_files(world, tmp_path, 3.0))
    for unit in ReplacedUnits.objects.filter(dashboard_import_id=report["import_id"]):
        rows = json.loads(zlib.decompress(unit.rows_before))
        old = [{k: v for k, v in row.items() if k not in ("source_file", "source_line")}
               for row in rows]  # fmt: skip
        unit.rows_before = zlib.compress(json.dumps(old).encode())
        unit.save(update_fields=["rows_before"])
    dashboard_import_restore(actor=users["carol"], import_id=report["import_id"])
    blank = {"source_file": "", "source_line": None}
    assert stored_rows() == [{**row, **blank} for row in before]
