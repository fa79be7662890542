"""The table machinery: sorting each kind, filters, search, invalid parameters, pagination and
the downloads of what is shown."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.http import QueryDict
from openpyxl import load_workbook

from continuum.web.audit.models import AuditEvent
from continuum.web.tables import Column, Filter, TableSpec, table_build, table_download
from tests.web.personas import World

LEVELS = [("1", "Level 1"), ("2", "Level 2"), ("3", "Level 3")]
GROUPS = [("EL", "English Learner"), ("SWD", "Students with Disabilities")]
COLOURS = [(str(c), str(c)) for c in range(1, 6)]
SPEC = TableSpec(
    name="leas",
    title="LEAs",
    columns=(
        Column("name", "LEA", link="url", note="cds"),
        Column("students", "Students", kind="number", unit="student"),
        Column("rate", "Absent", kind="percent"),
        Column("change", "Change", kind="change"),
        Column("since", "Since", kind="date"),
        Column("ela", "ELA", kind="colour"),
        Column("level", "Support level", badge=True),
    ),
    filters=(
        Filter("lea_type", "LEA type", field="kind"),
        Filter("level", "Support level", choices=LEVELS, field="level_number"),
        Filter("group", "Student group", choices=GROUPS, field="groups"),
        Filter("indicator", "Indicator", choices=[("ela", "ELA")], applies=False),
        Filter("colour", "Colour", choices=COLOURS, field="{indicator}"),
    ),
    search=("name", "cds"),
    page_size=2,
    default_sort="name",
)  # fmt: skip

ROWS = [
    {"name": "Birch", "cds": "02", "url": "/lea/02/", "students": 1200, "rate": 12.5,
     "change": -1.0, "since": dt.date(2024, 3, 1), "ela": 1, "level": "Level 3",
     "level_number": "3", "kind": "Unified", "groups": {"EL", "SWD"}},
    {"name": "alder", "cds": "01", "url": "/lea/01/", "students": 900, "rate": None,
     "change": 2.5, "since": dt.date(2023, 1, 5), "ela": 4, "level": "Level 2",
     "level_number": "2", "kind": "Elementary", "groups": {"SWD"}},
    {"name": "Cedar", "cds": "03", "url": "/lea/03/", "students": 30, "rate": 30.0,
     "change": None, "since": None, "ela": 0, "level": "Level 1",
     "level_number": "1", "kind": "Unified", "groups": set()},
]  # fmt: skip


def build(query: str) -> tuple[list[str], list[str]]:
    state = SPEC.parse(QueryDict(query))
    table = table_build(SPEC, state, ROWS)
    return [str(row["name"]) for row in table.rows], table.state.messages


def test_default_sort_is_by_name_ignoring_case() -> None:
    assert build("")[0] == ["alder", "Birch", "Cedar"]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("students", ["Cedar", "alder", "Birch"]),
        ("-students", ["Birch", "alder", "Cedar"]),
        ("rate", ["Birch", "Cedar", "alder"]),  # no value sorts last
        ("-rate", ["Cedar", "Birch", "alder"]),  # … in both directions
        ("change", ["Birch", "alder", "Cedar"]),
        ("since", ["alder", "Birch", "Cedar"]),
        ("-since", ["Birch", "alder", "Cedar"]),
        ("ela", ["Birch", "alder", "Cedar"]),  # Red first, no colour last
        ("-ela", ["alder", "Birch", "Cedar"]),
        ("-level", ["Birch", "alder", "Cedar"]),
    ],
)
def test_each_kind_sorts_by_its_value(sort: str, expected: list[str]) -> None:
    assert build(f"sort={sort}") == (expected, [])


def test_an_unknown_sort_column_is_reported_and_the_default_kept() -> None:
    names, messages = build("sort=salary")
    assert names == ["alder", "Birch", "Cedar"]
    assert messages == [
        "The table cannot be sorted by “salary”: sort by LEA, Students, Absent, Change, Since, "
        "ELA, Support level."
    ]


def test_filters_narrow_the_rows_by_value_and_by_membership() -> None:
    assert build("level=3")[0] == ["Birch"]
    assert build("group=SWD")[0] == ["alder", "Birch"]
    assert build("lea_type=Unified&group=SWD")[0] == ["Birch"]


def test_a_colour_filter_tests_the_indicator_chosen() -> None:
    assert build("indicator=ela&colour=4")[0] == ["alder"]


def test_a_colour_without_its_indicator_is_reported_and_not_applied() -> None:
    names, messages = build("colour=1")
    assert names == ["alder", "Birch", "Cedar"]
    assert messages == ["Colour needs another filter chosen with it: not applied."]


def test_a_choice_that_is_not_offered_is_reported_and_ignored() -> None:
    names, messages = build("level=9&lea_type=Charter")
    assert names == ["alder", "Birch", "Cedar"]
    assert messages == [
        "Support level “9” is not one of the choices (Level 1, Level 2, Level 3).",
        "LEA type “Charter” is not one of the choices (Elementary, Unified).",
    ]


def test_choices_left_to_the_rows_are_their_distinct_values() -> None:
    table = table_build(SPEC, SPEC.parse(QueryDict("")), ROWS)
    lea_type = next(f for f in table.filter_fields if f.spec.key == "lea_type")
    assert [c.value for c in lea_type.choices] == ["Elementary", "Unified"]


def test_search_matches_name_or_cds_ignoring_case() -> None:
    assert build("q=BIR")[0] == ["Birch"]
    assert build("q=03")[0] == ["Cedar"]


def test_pages_hold_page_size_rows_and_a_page_past_the_last_shows_the_last() -> None:
    table = table_build(SPEC, SPEC.parse(QueryDict("page=2")), ROWS)
    assert (table.pages, [r["name"] for r in table.page_rows]) == (2, ["Cedar"])
    assert (table.first_shown, table.last_shown) == (3, 3)
    past = table_build(SPEC, SPEC.parse(QueryDict("page=7")), ROWS)
    assert past.page == 2
    assert past.state.messages == ["There is no page 7: the table has 2 pages; showing the last."]


@pytest.mark.parametrize("page", ["0", "-1", "two"])
def test_a_page_that_is_not_a_number_shows_page_one(page: str) -> None:
    table = table_build(SPEC, SPEC.parse(QueryDict(f"page={page}")), ROWS)
    assert table.page == 1
    assert table.state.messages == [f"Page “{page}” is not a page number: showing page 1."]


def test_an_unknown_download_format_is_reported() -> None:
    state = SPEC.parse(QueryDict("format=pdf"))
    assert (state.file_format, state.messages) == (
        "",
        ["“pdf” is not a download format: choose csv or xlsx."],
    )


def test_links_keep_the_filters_sort_and_the_pages_other_parameters() -> None:
    table = table_build(SPEC, SPEC.parse(QueryDict("year=2025&level=3&sort=-students")), ROWS)
    headings = {h.column.key: h for h in table.headings}
    assert headings["students"].aria_sort == "descending"
    assert headings["students"].sort_link == "?year=2025&level=3&sort=students"
    assert headings["name"].sort_link == "?year=2025&level=3&sort=name"
    assert table.csv_link == "?year=2025&level=3&sort=-students&format=csv"
    assert table.clear_link == "?year=2025&sort=-students"
    assert table.hidden_fields == [("year", "2025"), ("sort", "-students")]


def test_a_prefixed_table_owns_only_its_prefixed_parameters() -> None:
    second = TableSpec(name="trend", title="Trend", columns=(Column("name", "LEA"),), prefix="t_")
    state = second.parse(QueryDict("sort=students&t_sort=-name"))
    assert (state.sort, state.others) == ("-name", {"sort": "students"})


def test_cells_show_words_units_and_badges() -> None:
    table = table_build(SPEC, SPEC.parse(QueryDict("sort=-students")), ROWS)
    birch = table.body[0]
    assert [c.text for c in birch] == [
        "Birch", "1,200 students", "12.5%", "−1.0", "1 Mar 2024", "Red", "Level 3",
    ]  # fmt: skip
    assert (birch[0].link, birch[0].note) == ("/lea/02/", "02")
    assert birch[5].colour_code == 1
    assert birch[6].badge == ("level-3", "Level 3")


def test_a_spec_refuses_a_filter_named_like_a_table_parameter() -> None:
    with pytest.raises(ValueError, match="reserved"):
        TableSpec(name="x", title="X", columns=(Column("a", "A"),), filters=(Filter("page", "P"),))


@pytest.mark.django_db
def test_excel_download_holds_typed_cells_of_every_filtered_sorted_row(
    world: World, users: dict[str, object]
) -> None:
    state = SPEC.parse(QueryDict("group=SWD&sort=-students&format=xlsx"))
    table = table_build(SPEC, state, ROWS)
    made = dt.datetime(2026, 12, 7, 9, 30, tzinfo=dt.UTC)
    response = table_download(
        table, actor=users["carol"], subject=world.county, subject_id=world.county.code,  # type: ignore[arg-type]
        filename="leas", made=lambda: made,
    )  # fmt: skip
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0][0] == "LEAs"
    assert values[1][0] == "Filters"
    assert (
        values[1][1] == "Student group: Students with Disabilities; Sorted by: Students, descending"
    )
    assert str(values[2][1]).startswith("7 Dec 2026")
    assert values[4] == ["LEA", "Students", "Absent", "Change", "Since", "ELA", "Support level"]
    assert values[5] == ["Birch", 1200, 12.5, -1.0, dt.datetime(2024, 3, 1), "Red", "Level 3"]
    assert values[6] == ["alder", 900, None, 2.5, dt.datetime(2023, 1, 5), "Green", "Level 2"]
    assert len(values) == 7


@pytest.mark.django_db
def test_csv_download_is_audited_with_its_filters_and_row_count(
    world: World, users: dict[str, object]
) -> None:
    table = table_build(SPEC, SPEC.parse(QueryDict("level=2&format=csv")), ROWS)
    response = table_download(
        table, actor=users["carol"], subject=world.county, subject_id=world.county.code,  # type: ignore[arg-type]
        filename="leas",
    )  # fmt: skip
    lines = response.content.decode().splitlines()
    assert lines == [
        "LEA,Students,Absent,Change,Since,ELA,Support level",
        "alder,900,,2.5,2023-01-05,Green,Level 2",
    ]
    event = AuditEvent.objects.filter(verb="export").latest("id")
    assert event.details["format"] == "csv"
    assert event.details["rows"] == 1
    assert event.details["filters"] == {"level": "2", "sort": "name"}
