"""Academic indicators from student records: the 2025 Technical Guide's worked examples
(../shared/reference/cde-dashboard-technical-guide-2025/dbguideacad25.txt) and the rules."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from continuum.dashboard.levels import compute_levels
from continuum.dashboard.students.academic import (
    FILES_RULE,
    GUIDE_RULE,
    AdjustmentRule,
    adjust_for_participation,
    census_day,
    distance_from_standard,
    student_distances,
)
from continuum.dashboard.students.common import Counts
from continuum.dashboard.students.output import cde_rows
from continuum.dashboard.students.project import as_dashboard_frame
from tests.dashboard.students.records import (
    DISTRICT,
    OTHER_DISTRICT,
    OTHER_DISTRICT_SCHOOL,
    SCHOOL,
    District,
)


def took(
    district: District,
    student_id: str,
    grade: int,
    subject: str,
    score: int | str,
    *,
    test: str = "SBA",
    cds: str = SCHOOL,
    attempted: str = "Y",
    condition: str = "",
    test_date: str = "2025-04-20",
) -> None:
    district.add(
        "caaspp",
        year=2025, student_id=student_id, cds=cds, grade=grade, subject=subject, test=test,
        attempted=attempted, test_date=test_date if attempted == "Y" else "",
        scale_score=score, condition=condition,
    )  # fmt: skip


def distances(district: District, tmp_path: Path, subject: str) -> dict[str, int | None]:
    records = district.read(tmp_path)
    rows = student_distances(records, 2025, subject)
    return dict(zip(rows["student_id"].to_list(), rows["dfs"].to_list(), strict=True))


@pytest.fixture
def district() -> District:
    return District()


def test_table_3_grade_5_sba_scores_are_measured_from_the_level_3_minimum(
    district: District, tmp_path: Path
) -> None:
    """Academic guide, Table 3: grade 5 ELA 2552 is +50; grade 5 Math 2505 is -23."""
    for student in ("one", "two"):
        district.student(student)
    took(district, "one", 5, "ELA", 2552)
    took(district, "two", 5, "MATH", 2505)
    assert distances(district, tmp_path, "ELA") == {"one": 50}
    assert distances(district, tmp_path, "MATH") == {"two": -23}


def test_a_missing_sba_score_counts_as_the_grades_lowest_obtainable_score(
    district: District, tmp_path: Path
) -> None:
    """Academic guide, "No Scale Score": a grade 5 Math tester without a score gets 2220."""
    district.student("one")
    took(district, "one", 5, "MATH", "")
    assert distances(district, tmp_path, "MATH") == {"one": 2220 - 2528}


def test_a_testing_irregularity_counts_as_the_lowest_obtainable_score(
    district: District, tmp_path: Path
) -> None:
    """Academic guide, "Testing Irregularities": the grade-level LOSS (grade 8 ELA: 2290)."""
    district.student("one")
    took(district, "one", 8, "ELA", 2600, condition="IRR")
    assert distances(district, tmp_path, "ELA") == {"one": 2290 - 2567}


@pytest.mark.parametrize(
    ("subject", "caa_score", "substitute", "standard"),
    [
        ("ELA", 930, 2492, 2583),
        ("ELA", 950, 2582, 2583),
        ("ELA", 961, 2681, 2583),
        ("MATH", 922, 2542, 2628),
        ("MATH", 950, 2627, 2628),
        ("MATH", 999, 2717, 2628),
    ],
)
def test_tables_4_and_5_grade_11_caa_scores_take_the_top_of_the_same_sba_level(
    district: District, tmp_path: Path, subject: str, caa_score: int, substitute: int, standard: int
) -> None:
    """Academic guide, Table 4 (grade 11 CAA conversions) and Table 5 (ELA 961 is +98, Math 922
    is -86)."""
    district.student("one")
    took(district, "one", 11, subject, caa_score, test="CAA")
    assert distances(district, tmp_path, subject) == {"one": substitute - standard}


def test_a_caa_at_its_lowest_score_or_without_a_score_is_left_out(
    district: District, tmp_path: Path
) -> None:
    """Academic guide, "No Scale Score and LOSS on the CAA": removed from the DFS."""
    for student in ("loss", "blank"):
        district.student(student)
    took(district, "loss", 11, "ELA", 900, test="CAA")
    took(district, "blank", 11, "ELA", "", test="CAA")
    assert distances(district, tmp_path, "ELA") == {"loss": None, "blank": None}


def test_example_1_blue_sapphire_students_distances_sum_to_50(
    district: District, tmp_path: Path
) -> None:
    """Academic guide, Example 1 (Blue Sapphire School), Steps 2, 3 and 5: Taylor -2, Gabriela
    +10, Earl +30, Kiera -66, Kevan -1, Marcos +79; together +50."""
    for name, grade, score, test in (
        ("Taylor", 3, 2430, "SBA"),
        ("Gabriela", 4, 2483, "SBA"),
        ("Earl", 5, 2532, "SBA"),
        ("Kiera", 3, 338, "CAA"),
        ("Kevan", 4, 446, "CAA"),
        ("Marcos", 5, 560, "CAA"),
    ):
        district.student(name)
        took(district, name, grade, "ELA", score, test=test)
    found = distances(district, tmp_path, "ELA")
    assert found == {"Taylor": -2, "Gabriela": 10, "Earl": 30, "Kiera": -66, "Kevan": -1,
                     "Marcos": 79}  # fmt: skip
    assert sum(v for v in found.values() if v is not None) == 50


def test_example_2_peridot_students_distances_sum_to_minus_48(
    district: District, tmp_path: Path
) -> None:
    """Academic guide, Example 2 (Peridot Unified), Steps 2, 3 and 5: Jerry -6, Dave -84,
    Agatha +10, Ahmed -56, Brian -1, Tala +89; together -48."""
    for name, grade, score, test in (
        ("Jerry", 3, 2430, "SBA"),
        ("Dave", 7, 2483, "SBA"),
        ("Agatha", 11, 2638, "SBA"),
        ("Ahmed", 3, 338, "CAA"),
        ("Brian", 7, 750, "CAA"),
        ("Tala", 11, 970, "CAA"),
    ):
        district.student(name)
        took(district, name, grade, "MATH", score, test=test)
    found = distances(district, tmp_path, "MATH")
    assert found == {"Jerry": -6, "Dave": -84, "Agatha": 10, "Ahmed": -56, "Brian": -1,
                     "Tala": 89}  # fmt: skip


def _adjusted(enrolled: int, tested: int, valid: int, dfs_sum: int, subject: str,
              rule: AdjustmentRule) -> dict[str, int]:  # fmt: skip
    frame = pl.DataFrame(
        {"enrolled": [enrolled], "tested": [tested], "valid": [valid], "dfs_sum": [dfs_sum]}
    )
    return adjust_for_participation(frame, subject, rule).row(0, named=True)


def _status_and_colour(
    counts: pl.DataFrame,
    indicator: str,
    prior_thousandths: int,
    *,
    rtype: str = "S",
    cds: str = SCHOOL,
) -> dict[str, object]:
    frame = counts.with_columns(
        pl.lit(cds).alias("cds"), pl.lit(rtype).alias("rtype"), pl.lit("ALL").alias("studentgroup")
    )
    prior = frame.select(
        "cds", "rtype", "studentgroup",
        pl.lit(prior_thousandths).alias("p_numer"), pl.lit(1000).alias("p_denom"),
        pl.lit(None, pl.Int64).alias("p_shown_numer"), pl.lit(1000).alias("p_shown_denom"),
    )  # fmt: skip
    entities = District().rows["entities"]
    table = pl.DataFrame(entities).with_columns(
        pl.col(c) == "Y" for c in ("charter", "coe", "dass", "title_i")
    )
    rows = cde_rows(Counts(indicator, 2025, 1, frame), prior, table)
    levelled = compute_levels(as_dashboard_frame({indicator.lower(): rows}))
    return levelled.select("currstatus", "change", "color").row(0, named=True)


def test_example_1_blue_sapphire_status_change_and_colour(tmp_path: Path) -> None:
    """Academic guide, Example 1, Steps 1 and 4-7: 188 of 201 tested (94%), 191 needed, 3 LOSS
    at -333; (2,838 - 999) / 191 = 9.628 -> 9.6; change 9.628 - 14.211 = -4.6; Yellow."""
    counts = _adjusted(201, 188, 184, 2838, "ELA", GUIDE_RULE)
    assert (counts["prate"], counts["added"], counts["denom"]) == (94, 3, 191)
    assert counts["numer"] == 2838 - 999
    frame = pl.DataFrame({k: [v] for k, v in counts.items()})
    result = _status_and_colour(frame, "ELA", 14211)
    assert result == {"currstatus": 9.6, "change": -4.6, "color": 3}


def test_table_6_penalty_example_gives_minus_56_1() -> None:
    """Academic guide, Table 6: 355 enrolled, 268 tested, 338 needed, 70 LOSS at -333;
    (4,355 - 23,310) / 338 = -56.1."""
    counts = _adjusted(355, 268, 268, 4355, "ELA", GUIDE_RULE)
    assert (counts["added"], counts["numer"], counts["denom"]) == (70, 4355 - 23310, 338)
    assert round(counts["numer"] / counts["denom"], 1) == -56.1


def test_example_2_peridot_status_change_and_colour() -> None:
    """Academic guide, Example 2, Steps 1 and 4-7: (8,875 + 100 DSEA) of (9,500 + 100) tested
    (93%), 9,120 needed, 145 LOSS at -348; (143,780 - 50,460) / 9,120 = 10.232 -> 10.2; change
    10.232 - 5.217 = 5.0; Green on the grades 3-8 Math table (unified district)."""
    counts = _adjusted(9600, 8975, 8372, 143780, "MATH", GUIDE_RULE)
    assert (counts["prate"], counts["added"], counts["denom"]) == (93, 145, 9120)
    frame = pl.DataFrame({k: [v] for k, v in counts.items()})
    result = _status_and_colour(frame, "MATH", 5217, rtype="D", cds=DISTRICT)
    assert result == {"currstatus": 10.2, "change": 5.0, "color": 4}


def test_participation_that_rounds_to_95_percent_adds_nobody() -> None:
    """Academic guide, "Rounding Rule": 94.5% rounds up to 95%, so no LOSS is added."""
    assert _adjusted(200, 189, 189, 0, "ELA", GUIDE_RULE)["added"] == 0
    assert _adjusted(200, 188, 188, 0, "ELA", GUIDE_RULE)["added"] == 2


def test_files_rule_adds_the_fewest_testers_whose_rate_rounds_to_95_percent() -> None:
    """CDE's files: numPRLOSS = ceil(0.945 x enrolled) - tested; currdenom = valid + added."""
    counts = _adjusted(39, 36, 17, -2686, "ELA", FILES_RULE)
    assert (counts["added"], counts["denom"]) == (1, 18)


def test_files_rule_matches_every_penalised_row_of_cdes_files(shared_data: Path) -> None:
    """Every ELA/Math row with currnumPRLOSS > 0 in the 2025 sample and Monterey 2023 files:
    the added count and the denominator follow from enrolled, tested and valid."""
    checked = 0
    for path in (
        "cde/dashboard/2025-sample/eladownload2025.txt",
        "cde/dashboard/2025-sample/mathdownload2025.txt",
        "cde/dashboard/monterey/2023/eladownload2023.txt",
        "cde/dashboard/monterey/2023/mathdownload2023.txt",
    ):
        rows = pl.read_csv(shared_data / path, separator="\t", infer_schema_length=0).select(
            pl.col("currprate_enrolled").cast(pl.Int64, strict=False).alias("enrolled"),
            pl.col("currprate_tested").cast(pl.Int64, strict=False).alias("tested"),
            pl.col("currdenom_withoutPRLOSS").cast(pl.Int64, strict=False).alias("valid"),
            pl.col("currnumPRLOSS").cast(pl.Int64, strict=False).alias("published_added"),
            pl.col("currdenom").cast(pl.Int64, strict=False).alias("published_denom"),
        )
        rows = rows.drop_nulls().with_columns(pl.lit(0).alias("dfs_sum"))
        adjusted = adjust_for_participation(rows, "ELA", FILES_RULE)
        assert adjusted["added"].to_list() == adjusted["published_added"].to_list()
        assert adjusted["denom"].to_list() == adjusted["published_denom"].to_list()
        checked += adjusted.filter(pl.col("added") > 0).height
    assert checked > 20


def test_census_day_is_the_first_wednesday_in_october() -> None:
    assert census_day(2025).isoformat() == "2024-10-02"
    assert census_day(2024).isoformat() == "2023-10-04"


def _school_row(district: District, tmp_path: Path, group: str = "ALL") -> dict[str, object]:
    counts = distance_from_standard(district.read(tmp_path), 2025, "ELA").frame
    return counts.filter((pl.col("cds") == SCHOOL) & (pl.col("studentgroup") == group)).row(
        0, named=True
    )


def test_a_student_enrolled_after_census_day_tests_but_is_not_in_the_dfs(
    district: District, tmp_path: Path
) -> None:
    """Academic guide, "Calculating the DFS": not continuously enrolled, excluded from the DFS
    but counted in participation."""
    district.student("early")
    district.student("late")
    district.enrol("early", start="2024-08-20")
    district.enrol("late", start="2024-10-03")
    took(district, "early", 4, "ELA", 2483)
    took(district, "late", 4, "ELA", 2600)
    row = _school_row(district, tmp_path)
    assert (row["enrolled"], row["tested"], row["valid"], row["dfs_sum"]) == (2, 2, 1, 10)


@pytest.mark.parametrize(("gap_end", "counted"), [("2024-12-31", 1), ("2025-01-01", 0)])
def test_a_gap_of_more_than_30_days_breaks_continuous_enrolment(
    district: District, tmp_path: Path, gap_end: str, counted: int
) -> None:
    """A gap of 30 days (1 Dec to 30 Dec) keeps continuous enrolment; 31 days breaks it."""
    district.student("one")
    district.enrol("one", start="2024-08-20", end="2024-11-30")
    district.enrol("one", start=gap_end)
    took(district, "one", 4, "ELA", 2483)
    assert _school_row(district, tmp_path)["valid"] == counted


def test_el_newcomers_and_untested_medical_emergencies_are_not_counted(
    district: District, tmp_path: Path
) -> None:
    """Academic guide, "Automatic Exclusion": ELs in a U.S. school since after 15 April of the
    previous year, and NTE students who did not log on, are in neither rate nor DFS."""
    district.student("newcomer", el_status="EL", us_entry_date="2024-05-01")
    district.student("ill")
    district.student("waiver")
    for student in ("newcomer", "ill", "waiver"):
        district.enrol(student)
    took(district, "newcomer", 4, "ELA", 2400)
    took(district, "ill", 4, "ELA", "", attempted="N", condition="NTE")
    took(district, "waiver", 4, "ELA", "", attempted="N", condition="PGE")
    row = _school_row(district, tmp_path)
    assert (row["enrolled"], row["tested"], row["valid"]) == (1, 0, 0)


def test_a_student_with_disabilities_counts_for_the_district_of_special_education_accountability(
    district: District, tmp_path: Path
) -> None:
    """Academic guide, Example 2 (Thom) and "District of Residence": a SWD served by another LEA
    counts for the DSEA's LEA results, and for the school that served him."""
    district.student("Thom", swd="Y", dsea=DISTRICT[:7])
    district.enrol("Thom", cds=OTHER_DISTRICT_SCHOOL, grade="11")
    took(district, "Thom", 11, "ELA", 961, test="CAA", cds=OTHER_DISTRICT_SCHOOL)
    counts = distance_from_standard(district.read(tmp_path), 2025, "ELA").frame
    all_rows = counts.filter(pl.col("studentgroup") == "ALL")
    assert sorted(all_rows.select("cds", "rtype").rows()) == sorted(
        [(DISTRICT, "D"), (OTHER_DISTRICT_SCHOOL, "S")]
    )
    assert OTHER_DISTRICT not in all_rows["cds"].to_list()


def test_caa_takers_form_the_caa_group_and_count_as_students_with_disabilities(
    district: District, tmp_path: Path
) -> None:
    """Introduction, Table 10: SWD includes every student who took the CAA."""
    district.student("one")
    district.enrol("one")
    took(district, "one", 4, "ELA", 446, test="CAA")
    counts = distance_from_standard(district.read(tmp_path), 2025, "ELA").frame
    groups = counts.filter(pl.col("cds") == SCHOOL)["studentgroup"].to_list()
    assert sorted(groups) == ["ALL", "CAA", "EO", "HI", "SWD"]
