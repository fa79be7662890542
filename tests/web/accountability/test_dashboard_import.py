"""Imports of CDE Dashboard files: all-or-nothing, audited, previewed and run by the worker."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from continuum.errors import InputError
from continuum.synth import generate_county
from continuum.web.accountability.models import (
    DaResult,
    DashboardImport,
    EssaResult,
    IndicatorResult,
)
from continuum.web.accountability.services.commit import dashboard_files_import
from continuum.web.accountability.services.queue import dashboard_import_create
from continuum.web.accounts.models import User
from continuum.web.agencies.models import County, Lea, School
from continuum.web.agencies.services import agencies_import_synthetic
from continuum.web.assistance.models import Engagement
from continuum.web.assistance.services import support_level
from continuum.web.audit.models import AuditEvent
from tests.web.accountability.dashboard_files import Row, dashboard_file, stored_rows
from tests.web.personas import World, client_for, other_county_admin_create

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="session")
def county_files(tmp_path_factory: pytest.TempPathFactory) -> dict[int, list[Path]]:
    """The synthetic county's Dashboard files for 2024 and 2025."""
    root = tmp_path_factory.mktemp("county")
    return {
        year: sorted(generate_county(root / str(year), year=year, seed=7).rows)
        for year in (2024, 2025)
    }


@pytest.fixture
def agencies(db: None) -> None:
    """The synthetic county's agencies (an import adds none), as the demo stores them."""
    agencies_import_synthetic(actor=None, seed=7)


def _broken_copy(path: Path, directory: Path) -> Path:
    """The file with a currstatus that is not a number on its third line."""
    lines = path.read_text().splitlines(keepends=True)
    fields = lines[2].split("\t")
    fields[lines[0].split("\t").index("currstatus")] = "lots"
    lines[2] = "\t".join(fields)
    broken = directory / path.name
    broken.write_text("".join(lines))
    return broken


def _ela(paths: list[Path]) -> Path:
    return next(p for p in paths if p.name.startswith("ela"))


def test_import_stores_results_and_determinations_and_creates_no_agency(
    county_files: dict[int, list[Path]], agencies: None
) -> None:
    stored = Lea.objects.count(), School.objects.count(), County.objects.count()
    report = dashboard_files_import(actor=None, paths=county_files[2025])
    assert report["years"] == [2025] and report["left_out"] == {}
    assert IndicatorResult.objects.filter(year=2025).count() == report["rows"]
    assert DaResult.objects.filter(year=2025).count() == report["determinations"]["da"] > 0
    assert (Lea.objects.count(), School.objects.count(), County.objects.count()) == stored
    event = AuditEvent.objects.get(verb="dashboard_import")
    assert event.details["years"] == [2025] and event.details["rows"] == report["rows"]


def test_import_of_the_newest_year_proposes_engagements_for_levels_2_and_3_once(
    county_files: dict[int, list[Path]], agencies: None
) -> None:
    report = dashboard_files_import(actor=None, paths=county_files[2025])
    supported = {d.cds for d in DaResult.objects.filter(year=2025) if support_level(d) > 1}
    proposed = set(Engagement.objects.filter(year=2025).values_list("lea__cds", flat=True))
    assert proposed == supported and report["determinations"]["engagements_proposed"] > 0
    again = dashboard_files_import(actor=None, paths=county_files[2025])
    assert again["determinations"]["engagements_proposed"] == 0
    older = dashboard_files_import(actor=None, paths=county_files[2024])
    assert "engagements_proposed" not in older["determinations"]
    assert not Engagement.objects.filter(year=2024).exists()


def test_essa_outside_the_entry_years_is_stored_only_when_the_year_before_is(
    county_files: dict[int, list[Path]], tmp_path: Path, agencies: None
) -> None:
    dashboard_files_import(actor=None, paths=county_files[2024] + county_files[2025])
    assert not EssaResult.objects.exists()  # 2024 carries 2023's statuses, which are not stored
    files_2023 = sorted(generate_county(tmp_path, year=2023, seed=7).rows)
    report = dashboard_files_import(actor=None, paths=files_2023)
    stored = {year: EssaResult.objects.filter(year=year).count() for year in (2023, 2024, 2025)}
    assert stored[2023] == stored[2024] == stored[2025] > 0
    assert report["determinations"]["essa"] == sum(stored.values())
    carried = EssaResult.objects.filter(year=2024).first()
    assert carried is not None and "The 2023 status is" in carried.explanation


def test_reimporting_a_year_replaces_it_and_keeps_other_years(
    county_files: dict[int, list[Path]], agencies: None
) -> None:
    dashboard_files_import(actor=None, paths=county_files[2024] + county_files[2025])
    rows_2024 = IndicatorResult.objects.filter(year=2024).count()
    rows_2025 = IndicatorResult.objects.filter(year=2025).count()
    dashboard_files_import(actor=None, paths=county_files[2025])
    assert IndicatorResult.objects.filter(year=2025).count() == rows_2025
    assert IndicatorResult.objects.filter(year=2024).count() == rows_2024
    assert AuditEvent.objects.filter(verb="dashboard_import").count() == 2


def test_a_bad_file_changes_nothing_and_names_line_and_column(
    county_files: dict[int, list[Path]], tmp_path: Path, agencies: None
) -> None:
    dashboard_files_import(actor=None, paths=county_files[2025])
    before = IndicatorResult.objects.count(), DaResult.objects.count()
    broken = _broken_copy(_ela(county_files[2025]), tmp_path)
    with pytest.raises(InputError) as raised:
        dashboard_files_import(actor=None, paths=[*county_files[2025], broken])
    assert raised.value.line == 3 and raised.value.column == "currstatus"
    assert (IndicatorResult.objects.count(), DaResult.objects.count()) == before


# The worker manages its own connections and transactions, so these tests use real commits.
@pytest.mark.django_db(transaction=True)
def test_failed_import_reports_the_problem_and_is_audited(
    county_files: dict[int, list[Path]], tmp_path: Path, world: World
) -> None:
    broken = _broken_copy(_ela(county_files[2025]), tmp_path)
    upload = SimpleUploadedFile(broken.name, broken.read_bytes())
    run = dashboard_import_create(actor=None, uploads=[upload])
    _worker()
    run.refresh_from_db()
    assert run.status == DashboardImport.Status.FAILED
    problem = run.report["problems"][0]
    assert (problem["file"], problem["line"], problem["column"]) == (broken.name, 3, "currstatus")
    assert IndicatorResult.objects.count() == 12  # the world's own rows, untouched
    assert AuditEvent.objects.filter(verb="dashboard_import_fail", subject_id=str(run.pk)).exists()


def _worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def _upload(client: Client, files: list[Path]) -> DashboardImport:
    uploads = [SimpleUploadedFile(p.name, p.read_bytes()) for p in files]
    response = client.post(reverse("accountability:imports"), {"upload": uploads})
    run = DashboardImport.objects.latest("id")
    assert response.status_code == 302 and response["Location"] == f"/imports/{run.pk}/"
    return run


def _act(client: Client, run: DashboardImport, action: str) -> str:
    """POST an action on the import; the page it leads back to."""
    url = reverse("accountability:import_action", args=[run.pk, action])
    return client.post(url, follow=True).content.decode()


def _alder_files(world: World, directory: Path, status: float) -> list[Path]:
    rows = [Row(world.alder.cds, "D", world.alder.name, "ALL", status)]
    return [dashboard_file(directory, "ela", 2025, rows)]


@pytest.mark.django_db(transaction=True)
def test_browser_upload_is_previewed_then_committed_once_confirmed(
    world: World, tmp_path: Path, as_persona: dict[str, Client]
) -> None:
    before = stored_rows()
    run = _upload(as_persona["carol"], _alder_files(world, tmp_path, 3.0))
    assert run.status == DashboardImport.Status.QUEUED
    assert AuditEvent.objects.get(verb="dashboard_import_queue").actor_username == "carol"
    _worker()
    run.refresh_from_db()
    assert run.status == DashboardImport.Status.REVIEW and stored_rows() == before
    page = as_persona["carol"].get(reverse("accountability:import", args=[run.pk])).content.decode()
    assert "What confirming would change" in page and "currstatus -40.5 → 3" in page
    assert "Confirm and write these changes" in page
    _act(as_persona["carol"], run, "confirm")
    _worker()
    run.refresh_from_db()
    assert run.status == DashboardImport.Status.DONE and run.progress == 100
    assert IndicatorResult.objects.get(cds=world.alder.cds).currstatus == 3.0
    page = as_persona["carol"].get(reverse("accountability:import", args=[run.pk])).content.decode()
    assert "What the import changed" in page and "Restore the results before import" in page
    assert AuditEvent.objects.get(verb="dashboard_import").actor_username == "carol"
    assert not Path(run.directory).exists()


@pytest.mark.django_db(transaction=True)
def test_discarding_a_preview_writes_nothing(
    world: World, tmp_path: Path, as_persona: dict[str, Client]
) -> None:
    before = stored_rows()
    run = _upload(as_persona["carol"], _alder_files(world, tmp_path, 3.0))
    _worker()
    _act(as_persona["carol"], run, "discard")
    run.refresh_from_db()
    assert run.status == DashboardImport.Status.DISCARDED and stored_rows() == before
    assert "Confirm" not in _act(as_persona["carol"], run, "confirm")


@pytest.mark.django_db(transaction=True)
def test_a_confirm_after_the_stored_rows_changed_is_refused(
    world: World, tmp_path: Path, as_persona: dict[str, Client], users: dict[str, User]
) -> None:
    run = _upload(as_persona["carol"], _alder_files(world, tmp_path / "1", 3.0))
    _worker()
    dashboard_files_import(actor=users["carol"], paths=_alder_files(world, tmp_path / "2", 8.0))
    after = stored_rows()
    _act(as_persona["carol"], run, "confirm")
    _worker()
    run.refresh_from_db()
    assert run.status == DashboardImport.Status.FAILED and stored_rows() == after
    assert "changed since this preview" in run.report["problems"][0]["message"]


@pytest.mark.django_db(transaction=True)
def test_restore_from_the_import_page_gives_back_the_rows_before(
    world: World, tmp_path: Path, as_persona: dict[str, Client], users: dict[str, User]
) -> None:
    before = stored_rows()
    report = dashboard_files_import(actor=users["carol"], paths=_alder_files(world, tmp_path, 3.0))
    run = DashboardImport.objects.get(pk=report["import_id"])
    page = _act(as_persona["carol"], run, "restore")
    assert f"Restored the results before import {run.pk}" in page
    assert stored_rows() == before


def test_the_page_of_an_import_made_before_versions_says_it_cannot_be_restored(
    world: World, as_persona: dict[str, Client], users: dict[str, User]
) -> None:
    old = DashboardImport.objects.create(
        created_by=users["carol"], county=world.county, directory="",
        file_names=["eladownload2025.txt"], status=DashboardImport.Status.DONE,
    )  # fmt: skip
    page = as_persona["carol"].get(reverse("accountability:import", args=[old.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert f"Import {old.pk} was made before imports kept the results they replace" in text
    assert "Restore the results before import" not in text
    assert "cannot be restored" in _act(as_persona["carol"], old, "restore")


def test_upload_form_without_files_shows_an_error(as_persona: dict[str, Client]) -> None:
    response = as_persona["carol"].post(reverse("accountability:imports"), {})
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert not DashboardImport.objects.exists()


def test_import_list_shows_a_county_only_its_own_imports_and_operators_that_covered_it(
    world: World, tmp_path: Path, users: dict[str, User], as_persona: dict[str, Client]
) -> None:
    dora = client_for(other_county_admin_create(world))
    carols = dashboard_files_import(
        actor=users["carol"], paths=_alder_files(world, tmp_path / "1", 3.0)
    )
    elm = [Row(world.elm.cds, "S", world.elm.name)]
    operators = dashboard_files_import(
        actor=None, paths=[dashboard_file(tmp_path / "2", "ela", 2025, elm)]
    )
    listing = reverse("accountability:imports")
    carol_sees = {row["url"] for row in as_persona["carol"].get(listing).context["table"].rows}
    dora_sees = {row["url"] for row in dora.get(listing).context["table"].rows}
    assert carol_sees == {reverse("accountability:import", args=[carols["import_id"]])}
    assert dora_sees == {reverse("accountability:import", args=[operators["import_id"]])}
    page = reverse("accountability:import", args=[carols["import_id"]])
    assert dora.get(page).status_code == 404
    restore = reverse("accountability:import_action", args=[carols["import_id"], "restore"])
    assert dora.post(restore).status_code == 404
    assert DashboardImport.objects.get(pk=carols["import_id"]).status == "done"


def test_each_stored_result_names_the_file_and_line_it_was_read_from(
    county_files: dict[int, list[Path]], agencies: None, tmp_path: Path
) -> None:
    ela = _ela(county_files[2025])
    dashboard_files_import(actor=None, paths=[ela])
    lines = ela.read_text().splitlines()
    header = lines[0].split("\t")
    cds, group = header.index("cds"), header.index("studentgroup")
    for result in IndicatorResult.objects.filter(year=2025, indicator="ELA")[:50]:
        assert result.source_file == ela.name
        assert result.source_line is not None
        fields = lines[result.source_line - 1].split("\t")
        assert (fields[cds], fields[group]) == (result.cds, result.studentgroup)


def test_the_same_rows_from_other_lines_are_unchanged_and_their_lines_kept_true(
    county_files: dict[int, list[Path]], agencies: None, tmp_path: Path
) -> None:
    ela = _ela(county_files[2025])
    dashboard_files_import(actor=None, paths=[ela])
    ids = {(r.cds, r.studentgroup): r.pk for r in IndicatorResult.objects.filter(indicator="ELA")}
    header, *rows = ela.read_text().splitlines(keepends=True)
    reversed_copy = tmp_path / ela.name
    reversed_copy.write_text(header + "".join(reversed(rows)))
    report = dashboard_files_import(actor=None, paths=[reversed_copy])
    (unit,) = report["units"]
    assert (unit["added"], unit["changed"], unit["removed"]) == (0, 0, 0)
    assert unit["unchanged"] == len(rows)
    last = IndicatorResult.objects.get(pk=ids[_key(rows[-1], header)])
    assert last.source_line == 2
    assert {(r.cds, r.studentgroup): r.pk for r in IndicatorResult.objects.all()} == ids


def _key(line: str, header: str) -> tuple[str, str]:
    names, fields = header.rstrip("\n").split("\t"), line.rstrip("\n").split("\t")
    return fields[names.index("cds")], fields[names.index("studentgroup")]
