"""``continuum web import`` and the demo that ``continuum serve`` loads."""

from __future__ import annotations

from pathlib import Path

import pytest
from django_tasks_db.models import DBTaskResult

from continuum.synth import generate_county
from continuum.web.accountability import selectors
from continuum.web.accountability.models import (
    DaResult,
    DashboardImport,
    EssaResult,
    IndicatorResult,
)
from continuum.web.accounts.models import Membership, User
from continuum.web.agencies.models import County, School
from continuum.web.audit.models import AuditEvent
from continuum.web.demo import DEMO_YEARS, demo_load, demo_users_create
from tests.cli_runner import run
from tests.web.accountability.dashboard_files import Row, dashboard_file, stored_rows
from tests.web.personas import World, personas_create

pytestmark = pytest.mark.django_db


def test_web_import_now_processes_the_files_and_reports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    files = sorted(generate_county(tmp_path, year=2025, seed=3).rows)
    outcome = run(capsys, monkeypatch, "web", "import", "--now", *map(str, files))
    assert outcome.status == 0, outcome.stderr
    assert "done" in outcome.stdout
    assert DashboardImport.objects.get().status == DashboardImport.Status.DONE
    assert IndicatorResult.objects.filter(year=2025).exists()


def test_web_import_without_now_queues_for_the_worker(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    files = sorted(generate_county(tmp_path, year=2025, seed=3).rows)[:1]
    outcome = run(capsys, monkeypatch, "web", "import", *map(str, files))
    assert outcome.status == 0 and "queued" in outcome.stdout
    assert DashboardImport.objects.get().status == DashboardImport.Status.QUEUED
    assert AuditEvent.objects.filter(verb="dashboard_import_queue").exists()


def test_demo_loads_its_years_and_one_user_per_role(settings: object, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path
    assert demo_load(say=lambda line: None)
    assert sorted(IndicatorResult.objects.values_list("year", flat=True).distinct()) == list(
        DEMO_YEARS
    )
    assert DaResult.objects.filter(year=DEMO_YEARS[-1], status__startswith="Differentiated")
    # Four years chain the ESSA cycle (entry in 2022 and 2023, carried in 2024 and 2025) and the
    # synthetic schools' Title I flags let CSI be decided: every status is determined.
    statuses = set(EssaResult.objects.filter(year=DEMO_YEARS[-1]).values_list("status", flat=True))
    assert {"CSI Low Perform", "ATSI", "TSI"} <= statuses and "" not in statuses
    users = demo_users_create()
    assert len({u.role for u in users}) == 5
    assert Membership.objects.count() == User.objects.count() == 5
    assert AuditEvent.objects.filter(verb="user_create").count() == 5
    assert not demo_load(say=lambda line: None)  # a second start keeps what is stored


def test_user_create_command_gives_a_role_over_an_lea(
    world: World, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    outcome = run(
        capsys, monkeypatch, "web", "user-create", "dana", "--role", "district_leader",
        "--scope", world.birch.cds, "--password", "a-long-password",
    )  # fmt: skip
    assert outcome.status == 0, outcome.stderr
    membership = Membership.objects.get(user__username="dana")
    assert (membership.role, membership.lea) == ("district_leader", world.birch)
    assert User.objects.get(username="dana").check_password("a-long-password")
    assert AuditEvent.objects.filter(verb="user_create").exists()


def test_user_create_command_refuses_an_unknown_scope(
    world: World, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    outcome = run(
        capsys, monkeypatch, "web", "user-create", "dana", "--role", "viewer",
        "--scope", "99999999999999", "--password", "a-long-password",
    )  # fmt: skip
    assert outcome.status == 2 and "no county, LEA or school" in outcome.stderr
    assert not User.objects.filter(username="dana").exists()


def test_title_i_command_records_title_i_and_leaves_out_other_schools(
    world: World,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    listing = tmp_path / "title_i.csv"
    listing.write_text(
        f"cds,title_i\n{world.oak.cds},Yes\n{world.pine.cds},no\n01234567890123,Yes\n"
    )
    outcome = run(capsys, monkeypatch, "web", "title-i", str(listing))
    assert outcome.status == 0, outcome.stderr
    assert "Title I recorded for 2 schools (1 rows for schools not stored here" in outcome.stdout
    world.oak.refresh_from_db()
    world.pine.refresh_from_db()
    assert (world.oak.title_i, world.pine.title_i) == (True, False)
    event = AuditEvent.objects.get(verb="schools_title_i_import")
    assert (event.details["schools"], event.details["not_here"]) == (2, 1)


def test_title_i_command_refuses_a_value_other_than_yes_or_no_and_changes_nothing(
    world: World,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    listing = tmp_path / "title_i.csv"
    listing.write_text(f"cds,title_i\n{world.oak.cds},Yes\n{world.pine.cds},maybe\n")
    outcome = run(capsys, monkeypatch, "web", "title-i", str(listing))
    assert outcome.status == 2
    assert "title_i.csv, line 3, column 'title_i'" in outcome.stderr
    assert "Title I must be Yes or No, not 'maybe'" in outcome.stderr
    world.oak.refresh_from_db()
    assert world.oak.title_i is None
    assert not AuditEvent.objects.filter(verb="schools_title_i_import").exists()


def test_title_i_command_reads_cdes_statewide_essa_file(
    world: World,
    shared_data: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Two real schools of CDE's 2023-24 file, one Title I-funded and one not, stored here.
    School.objects.create(cds="01100170112607", name="Envision Academy", lea=world.alder)
    School.objects.create(cds="27660920111435", name="Marina High", lea=world.alder)
    essa = shared_data / "cde" / "assistance" / "essaassistance23.xlsx"
    outcome = run(capsys, monkeypatch, "web", "title-i", str(essa), "--column", "TitleI2223")
    assert outcome.status == 0, outcome.stderr
    assert (
        "Title I recorded for 2 schools (10042 rows for schools not stored here" in outcome.stdout
    )
    flags = dict(School.objects.filter(title_i__isnull=False).values_list("cds", "title_i"))
    assert flags == {"01100170112607": True, "27660920111435": False}


def _alder_file(world: World, directory: Path) -> Path:
    rows = [Row(world.alder.cds, "D", world.alder.name, "ALL", 3.0)]
    return dashboard_file(directory, "ela", 2025, rows)


def test_web_import_dry_run_prints_the_preview_and_writes_nothing(
    world: World,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = stored_rows(), DashboardImport.objects.count(), AuditEvent.objects.count()
    outcome = run(
        capsys, monkeypatch, "web", "import", "--dry-run", str(_alder_file(world, tmp_path))
    )
    assert outcome.status == 0, outcome.stderr
    assert "2025 ELA: 1 entities, 0 rows added, 1 changed, 0 unchanged, 1 removed" in outcome.stdout
    assert "currstatus -40.5 → 3" in outcome.stdout
    assert (stored_rows(), DashboardImport.objects.count(), AuditEvent.objects.count()) == before


def test_web_import_now_runs_once_and_queues_nothing(
    world: World,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    outcome = run(capsys, monkeypatch, "web", "import", "--now", str(_alder_file(world, tmp_path)))
    assert outcome.status == 0, outcome.stderr
    assert "1 changed" in outcome.stdout
    assert not DBTaskResult.objects.exists()
    assert AuditEvent.objects.filter(verb="dashboard_import").count() == 1
    assert DashboardImport.objects.get().status == DashboardImport.Status.DONE


def test_web_import_with_user_covers_only_their_county(
    world: World,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    personas_create(world)
    rows = [Row(world.alder.cds, "D", world.alder.name), Row(world.cedar.cds, "D", "Cedar")]
    file = dashboard_file(tmp_path, "ela", 2025, rows)
    cedar_before = stored_rows(cds=world.cedar.cds)
    outcome = run(capsys, monkeypatch, "web", "import", "--now", "--user", "carol", str(file))
    assert outcome.status == 0, outcome.stderr
    assert "left out: 1 rows of 1 entities of other counties" in outcome.stdout
    assert stored_rows(cds=world.cedar.cds) == cedar_before
    assert DashboardImport.objects.get().county == world.county


def test_web_import_restore_gives_back_the_rows_before(
    world: World,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = stored_rows()
    run(capsys, monkeypatch, "web", "import", "--now", str(_alder_file(world, tmp_path)))
    imported = DashboardImport.objects.get()
    outcome = run(capsys, monkeypatch, "web", "import-restore", str(imported.pk))
    assert outcome.status == 0, outcome.stderr
    assert f"Restored the results before import {imported.pk}" in outcome.stdout
    assert stored_rows() == before


def test_web_import_restore_refuses_an_import_that_is_not_committed(
    world: World, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    queued = DashboardImport.objects.create(directory="", file_names=["x.txt"])
    outcome = run(capsys, monkeypatch, "web", "import-restore", str(queued.pk))
    assert outcome.status == 2 and "only a committed import can be restored" in outcome.stderr


def test_web_import_restore_of_an_import_made_before_versions_says_why_not(
    world: World, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    old = DashboardImport.objects.create(directory="", status=DashboardImport.Status.DONE)
    outcome = run(capsys, monkeypatch, "web", "import-restore", str(old.pk))
    assert outcome.status == 2 and "Traceback" not in outcome.stderr
    assert "made before imports kept the results they replace" in outcome.stderr


def test_demo_import_appears_in_the_county_admins_import_list(
    settings: object, tmp_path: Path
) -> None:
    settings.DATA_DIR = tmp_path
    demo_load(say=lambda line: None)
    county = County.objects.get()
    (demo,) = selectors.imports_visible(county=county)
    assert demo.status == DashboardImport.Status.DONE and demo.county is None
    assert demo.report["left_out"] == {}
