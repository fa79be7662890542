"""Synthetic student-level records for a synthetic county (or state), and the CDE-shaped files
derived from them.

Students are drawn per school of ``build_entities`` (its enrolment, its latent advantage), with
groups, enrolments, attendance, suspensions, CAASPP/CAA and ELPAC results, cohorts and CCI
measures whose rates vary with the school and the student's groups. The county's Dashboard files
in this mode are computed from these records by the student-level calculators, so the records
and the files agree by construction; ``continuum synth county`` is unchanged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import polars as pl

from continuum.dashboard.students.elpi import LEVEL_SPLITS
from continuum.dashboard.students.inputs import (
    GRADE_NAMES,
    SBA_RANGES,
    SPECS,
    StudentRecords,
    caa_floor,
)
from continuum.dashboard.students.project import projected_files
from continuum.formats.dashboard_downloads import file_name, write_tab_separated
from continuum.synth.entities import CountyPlan, Entities, build_entities
from continuum.synth.model import RACE_GROUPS, RACE_MIX

GRADE_SPANS = {
    "elementary": (-1, 5), "middle": (6, 8), "high": (9, 12), "k12": (-1, 12),
    "alternative": (9, 12),
}  # fmt: skip
TESTED_GRADES = np.array([3, 4, 5, 6, 7, 8, 11])
SCHOOL_DAYS = 180
Floats = np.ndarray[tuple[int], np.dtype[np.float64]]


def _expit(x: Floats) -> Floats:
    return np.asarray(1.0 / (1.0 + np.exp(-x)), dtype=np.float64)


def entity_table(entities: Entities) -> pl.DataFrame:
    """The ``entities`` input table for the synthetic schools and LEAs."""
    schools = entities.schools.select(
        "cds",
        pl.lit("S").alias("rtype"),
        pl.col("schoolname").alias("name"),
        pl.col("districtname").alias("district_name"),
        pl.col("countyname").alias("county_name"),
        (pl.col("charter_flag") == "Y").fill_null(False).alias("charter"),
        pl.lit(False).alias("coe"),
        (pl.col("dass_flag") == "Y").fill_null(False).alias("dass"),
        pl.col("title_i"),
        pl.col("suspension_type").alias("type"),
    )
    leas = entities.leas.select(
        "cds",
        pl.lit("D").alias("rtype"),
        pl.col("districtname").alias("name"),
        pl.col("districtname").alias("district_name"),
        pl.col("countyname").alias("county_name"),
        pl.lit(False).alias("charter"),
        (pl.col("coe_flag") == "Y").fill_null(False).alias("coe"),
        pl.lit(False).alias("dass"),
        pl.lit(False).alias("title_i"),
        pl.col("suspension_type").alias("type"),
    )
    return pl.concat([leas, schools])


def _population(entities: Entities, rng: np.random.Generator) -> pl.DataFrame:
    """One row per student: school, grade in the last year, groups, and a latent ability."""
    schools = entities.schools
    counts = schools.get_column("enrolment").to_numpy()
    school_index = np.repeat(np.arange(schools.height), counts)
    n = school_index.size
    kinds = schools.get_column("kind").to_numpy()[school_index]
    low = np.array([GRADE_SPANS[k][0] for k in kinds])
    high = np.array([GRADE_SPANS[k][1] for k in kinds])
    grade = low + np.floor(rng.random(n) * (high - low + 1)).astype(np.int64)
    race = np.array(RACE_GROUPS)[rng.choice(len(RACE_GROUPS), n, p=RACE_MIX / RACE_MIX.sum())]
    unreported = rng.random(n) < 0.01
    hispanic = (race == "HI") & ~unreported
    el_draw = rng.random(n)
    el_share = np.where(hispanic, 0.32, 0.10)
    el = el_draw < el_share
    rfep = (~el) & (el_draw < el_share + 0.10)
    swd = rng.random(n) < 0.13
    coe_schools = entities.leas.filter(pl.col("coe_flag") == "Y").get_column("cds")
    lea_cds = schools.get_column("lea_cds")
    county_run = lea_cds.is_in(coe_schools.implode()).fill_null(False).to_numpy()[school_index]
    # Students with disabilities served by the county office come from a district of the county
    # (the district of special education accountability).
    districts = [c[:7] for c in entities.leas.filter(pl.col("coe_flag").is_null())["cds"]]
    sent = swd & county_run if districts else np.zeros(n, dtype=bool)
    dsea = pl.Series(np.array(districts or ["0"])[rng.integers(0, max(len(districts), 1), n)])
    advantage = schools.get_column("advantage").to_numpy()[school_index]
    sed = rng.random(n) < _expit(0.3 - 1.1 * advantage + 0.6 * hispanic)
    return pl.DataFrame(
        {
            "student_id": pl.int_range(0, n, eager=True).cast(pl.String).str.zfill(10),
            "cds": schools.get_column("cds").to_numpy()[school_index],
            "grade_last": grade,
            "race": pl.Series(race).set(pl.Series(unreported), None),
            "el": el,
            "rfep": rfep,
            "ltel": el & (grade >= 6) & (rng.random(n) < 0.5),
            "sed": sed,
            "swd": swd,
            "foster": rng.random(n) < 0.005,
            "homeless": rng.random(n) < np.where(sed, 0.05, 0.01),
            "dsea": dsea.set(pl.Series(~sent), None),
            "ability": rng.normal(0.0, 1.0, n) + 0.6 * advantage - 0.4 * sed - 0.7 * swd - 0.4 * el,
            "advantage": advantage,
        },
        strict=False,
    )


def _students_table(people: pl.DataFrame, years: Sequence[int]) -> pl.DataFrame:
    frames = []
    for year in years:
        frames.append(
            people.select(
                pl.lit(year).alias("year"),
                "student_id",
                "race",
                pl.when(pl.col("el"))
                .then(pl.lit("EL"))
                .when(pl.col("rfep"))
                .then(pl.lit("RFEP"))
                .otherwise(pl.lit("EO"))
                .alias("el_status"),
                pl.when(pl.col("rfep")).then(pl.lit(dt.date(year - 2, 3, 1))).alias("rfep_date"),
                "ltel",
                "sed",
                "swd",
                "foster",
                "homeless",
                "dsea",
                pl.lit(None, pl.Date).alias("us_entry_date"),
            )
        )
    return pl.concat(frames)


def _year_rows(people: pl.DataFrame) -> pl.DataFrame:
    """The students of a year. Every year has the same students in the same grades (a stable
    population, so that every year has seniors, testers and matched ELPAC results); their
    results are drawn afresh each year."""
    return people.rename({"grade_last": "grade"})


def _enrollments(rows: pl.DataFrame, year: int, rng: np.random.Generator) -> pl.DataFrame:
    n = rows.height
    draw = rng.random(n)
    # 4% enrol after census day (not continuously enrolled), 1% only for the last weeks.
    start = np.where(
        draw < 0.01,
        np.datetime64(f"{year}-05-20"),
        np.where(draw < 0.05, np.datetime64(f"{year}-02-01"), np.datetime64(f"{year - 1}-08-20")),
    )
    return rows.select(
        pl.lit(year).alias("year"),
        "student_id",
        "cds",
        pl.col("grade").cast(pl.Int8),
        pl.Series("start_date", start).cast(pl.Date),
        pl.lit(None, pl.Date).alias("end_date"),
        pl.lit("10").alias("status"),
    )


def _attendance(
    rows: pl.DataFrame, enrollments: pl.DataFrame, year: int, rng: np.random.Generator
) -> pl.DataFrame:
    n = rows.height
    start = enrollments.get_column("start_date").to_numpy()
    end = np.datetime64(f"{year}-06-10")
    expected = np.maximum(
        1, np.round((end - start).astype("timedelta64[D]").astype(np.int64) * SCHOOL_DAYS / 294)
    ).astype(np.float64)
    ability = rows.get_column("ability").to_numpy()
    homeless = rows.get_column("homeless").to_numpy()
    shift = 0.1 * (year % 3)
    rate = np.exp(np.log(0.035) - 0.45 * ability + 0.5 * homeless + shift + rng.normal(0, 0.7, n))
    absent = np.minimum(rng.poisson(rate * expected), expected)
    excused = rng.binomial(absent.astype(np.int64), 0.6).astype(np.float64)
    oss = np.minimum(rng.poisson(0.05, n), absent - excused).astype(np.float64)
    return rows.select(
        pl.lit(year).alias("year"),
        "student_id",
        "cds",
        pl.Series("days_expected", expected),
        pl.Series("days_oss", oss),
        pl.Series("days_excused", excused),
        pl.Series("days_unexcused", absent - excused - oss),
        pl.lit(0.0).alias("days_nonada_is"),
        pl.Series("exempt", rng.random(n) < 0.002),
    )


def _suspensions(rows: pl.DataFrame, year: int, rng: np.random.Generator) -> pl.DataFrame:
    ability = rows.get_column("ability").to_numpy()
    grade = rows.get_column("grade").to_numpy()
    p = _expit(-3.7 - 0.5 * ability + 0.6 * (grade >= 6) + 0.1 * (year % 2))
    chosen = rows.filter(pl.Series(rng.random(rows.height) < p))
    n = chosen.height
    day = np.datetime64(f"{year - 1}-09-01") + rng.integers(0, 270, n).astype("timedelta64[D]")
    return chosen.select(
        pl.lit(year).alias("year"),
        "student_id",
        "cds",
        pl.Series("incident_date", day).cast(pl.Date),
        pl.Series("result", np.where(rng.random(n) < 0.7, "OSS", "ISS")),
        pl.Series("days", rng.integers(1, 4, n).astype(np.float64)),
    )


def _caaspp(
    rows: pl.DataFrame, year: int, participation: Floats, rng: np.random.Generator
) -> pl.DataFrame:
    tested = rows.filter(pl.col("grade").is_in(TESTED_GRADES.tolist()))
    n = tested.height
    frames = []
    grade = tested.get_column("grade").to_numpy()
    ability = tested.get_column("ability").to_numpy()
    swd = tested.get_column("swd").to_numpy()
    school_rate = participation[tested.get_column("_school").to_numpy()]
    caa = swd & (rng.random(n) < 0.09)
    for subject, offset in (("ELA", 0.0), ("MATH", -30.0)):
        attempted = rng.random(n) < school_rate
        low = np.array([SBA_RANGES[(subject, g)][0] for g in grade])
        high = np.array([SBA_RANGES[(subject, g)][4] for g in grade])
        standard = np.array([SBA_RANGES[(subject, g)][2] + 1 for g in grade])
        drift = 4.0 * (year % 3)
        sba = standard + offset + drift + 75 * ability + rng.normal(0, 45, n)
        sba = np.clip(np.round(sba), low, high)
        floor = np.array([caa_floor(g) for g in grade])
        caa_score = floor + np.clip(np.round(50 + 25 * ability + rng.normal(0, 15, n)), 0, 99)
        score = np.where(caa, caa_score, sba).astype(np.float64)
        no_score = attempted & (rng.random(n) < 0.003)
        score = np.where(attempted & ~no_score, score, np.nan)
        waived = ~attempted & (rng.random(n) < 0.3)
        test_day = np.datetime64(f"{year}-04-14") + rng.integers(0, 30, n).astype("timedelta64[D]")
        frames.append(
            tested.select(
                pl.lit(year).alias("year"),
                "student_id",
                "cds",
                pl.col("grade").cast(pl.Int8),
                pl.lit(subject).alias("subject"),
                pl.Series("test", np.where(caa, "CAA", "SBA")),
                pl.Series("attempted", attempted),
                pl.Series("test_date", np.where(attempted, test_day, np.datetime64("NaT"))).cast(
                    pl.Date
                ),
                pl.Series("scale_score", score).cast(pl.Int64, strict=False),
                pl.Series("condition", np.where(waived, "PGE", "")).replace("", None),
            )
        )
    return pl.concat(frames)


def _elpac(rows: pl.DataFrame, year: int, rng: np.random.Generator) -> pl.DataFrame:
    learners = rows.filter(pl.col("el") & (pl.col("grade") >= 0))
    n = learners.height
    grade = learners.get_column("grade").to_numpy()
    ability = learners.get_column("ability").to_numpy()
    alternate = learners.get_column("swd").to_numpy() & (rng.random(n) < 0.08)
    base = np.array([LEVEL_SPLITS[g][2] for g in grade], dtype=np.float64)
    summative = np.clip(np.round(base + 30 * ability + 10 * (year - 2020) + rng.normal(0, 20, n)),
                        1150, 1950)  # fmt: skip
    points = np.clip(np.round(45 + 25 * ability + rng.normal(0, 12, n)), 0, 99)
    alt_score = (np.minimum(grade, 7) + 2) * 100 + points
    alt_level = np.where(points < 40, "1", np.where(points < 75, "2", "3"))
    tested = rng.random(n) < 0.97
    score = np.where(alternate, alt_score, summative).astype(np.float64)
    return learners.select(
        pl.lit(year).alias("year"),
        "student_id",
        "cds",
        pl.col("grade").cast(pl.Int8),
        pl.Series("test", np.where(alternate, "ALT", "SUM")),
        pl.Series("scale_score", np.where(tested, score, np.nan)).cast(pl.Int64, strict=False),
        pl.Series("alt_level", np.where(alternate & tested, alt_level, "")).replace("", None),
    )


def _graduation(
    rows: pl.DataFrame, year: int, rng: np.random.Generator
) -> tuple[pl.DataFrame, pl.DataFrame]:
    seniors = rows.filter(pl.col("grade") == 12)
    n = seniors.height
    ability = seniors.get_column("ability").to_numpy()
    graduated = rng.random(n) < _expit(2.2 + 0.9 * ability)
    # A few seniors of last year's cohort finish in a fifth year.
    fifth = (~graduated) & (rng.random(n) < 0.25)
    cohort = seniors.select(
        pl.lit(year).alias("year"),
        "student_id",
        "cds",
        pl.Series("cohort", np.where(fifth, "5YR", "4YR")),
        pl.Series("graduated", graduated | fifth),
    )
    level = np.clip(np.round(2.4 + 0.9 * ability + rng.normal(0, 0.6, n)), 1, 4).astype(int)
    math = np.clip(level - rng.integers(0, 2, n), 1, 4)
    cci = seniors.select(
        pl.lit(year).alias("year"),
        "student_id",
        pl.Series("ela_level", level.astype(str)),
        pl.Series("math_level", math.astype(str)),
        pl.Series("ap_passed", rng.poisson(np.exp(-0.7 + 0.8 * ability))),
        pl.Series("ib_passed", np.where(rng.random(n) < 0.03, rng.integers(0, 4, n), 0)),
        pl.Series("college_credit_courses", rng.poisson(np.exp(-1.2 + 0.5 * ability))),
        pl.Series("a_g", rng.random(n) < _expit(0.2 + ability)),
        pl.Series("cte_pathway", rng.random(n) < 0.2),
        pl.Series("seal_biliteracy", rng.random(n) < 0.08),
        pl.Series("military_science", rng.random(n) < 0.01),
    )
    return cohort, cci


def generate_student_records(
    counties: Sequence[CountyPlan],
    *,
    year: int,
    seed: int,
    history: int = 2,
    progress: Callable[[str], None] = lambda _: None,
) -> StudentRecords:
    """Records for ``year`` and ``history`` earlier years (ELPAC one year further back, for
    matching); the same seed gives the same records."""
    entities = build_entities(counties, np.random.default_rng([seed, 1]))
    rng = np.random.default_rng([seed, 101])
    people = _population(entities, rng)
    progress(f"{people.height:,} students in {entities.schools.height:,} schools")
    school_ids = {cds: i for i, cds in enumerate(entities.schools.get_column("cds").to_list())}
    people = people.with_columns(
        pl.col("cds").replace_strict(school_ids, return_dtype=pl.Int64).alias("_school")
    )
    # One school in eight tests fewer than 95% of its students.
    low = rng.random(entities.schools.height) < 0.125
    participation = np.where(low, rng.uniform(0.86, 0.95, low.size), 0.995)
    years = list(range(year - history, year + 1))
    tables: dict[str, list[pl.DataFrame]] = {name: [] for name in SPECS}
    for each in [years[0] - 1, *years]:
        rows = _year_rows(people)
        tables["elpac"].append(_elpac(rows, each, rng))
        if each not in years:
            continue
        enrollments = _enrollments(rows, each, rng)
        tables["enrollments"].append(enrollments)
        tables["attendance"].append(_attendance(rows, enrollments, each, rng))
        tables["suspensions"].append(_suspensions(rows, each, rng))
        tables["caaspp"].append(_caaspp(rows, each, participation, rng))
        cohort, cci = _graduation(rows, each, rng)
        tables["graduation"].append(cohort)
        tables["cci"].append(cci)
        progress(f"records for {each}")
    students = _students_table(people, [years[0] - 1, *years])
    return StudentRecords(
        entities=entity_table(entities),
        students=students,
        **{name: pl.concat(frames) for name, frames in tables.items() if frames},  # type: ignore[arg-type]
    )


def as_text_table(frame: pl.DataFrame) -> pl.DataFrame:
    """A typed input table in its documented text form: flags Y/N, dates YYYY-MM-DD, grades as
    CALPADS codes."""
    columns = []
    for name, dtype in frame.schema.items():
        column = pl.col(name)
        if dtype == pl.Boolean:
            columns.append(pl.when(column).then(pl.lit("Y")).otherwise(pl.lit("N")).alias(name))
        elif dtype == pl.Date:
            columns.append(column.dt.strftime("%Y-%m-%d"))
        elif name == "grade":
            columns.append(column.replace_strict(GRADE_NAMES, return_dtype=pl.String))
        else:
            columns.append(column.cast(pl.String))
    return frame.select(columns)


def write_student_records(
    records: StudentRecords, directory: Path, *, suffix: str = ".csv"
) -> dict[str, int]:
    """Write every table as ``directory/<table><suffix>``; rows per table."""
    directory.mkdir(parents=True, exist_ok=True)
    written = {}
    for name, spec in SPECS.items():
        table = getattr(records, name)
        if table is None:
            continue
        text = as_text_table(table.select(c.name for c in spec.columns))
        path = directory / f"{spec.stem}{suffix}"
        if suffix == ".parquet":
            text.write_parquet(path)
        else:
            text.write_csv(path)
        written[name] = text.height
    return written


def write_synthetic_students(
    counties: Sequence[CountyPlan],
    out_dir: Path,
    *,
    year: int,
    seed: int,
    suffix: str = ".csv",
    progress: Callable[[str], None] = lambda _: None,
) -> dict[str, int]:
    """``out_dir/students/`` (the records) and ``out_dir/dashboard/`` (CDE-shaped files of
    ``year`` computed from them); rows per table and file."""
    records = generate_student_records(counties, year=year, seed=seed, progress=progress)
    written = write_student_records(records, out_dir / "students", suffix=suffix)
    progress("student records written")
    files, _ = projected_files(records, year, None, progress)
    dashboard = out_dir / "dashboard"
    dashboard.mkdir(parents=True, exist_ok=True)
    for prefix, frame in files.items():
        write_tab_separated(frame, dashboard / file_name(prefix, year))
        written[file_name(prefix, year)] = frame.height
    return written
