"""Explanations in words: student group → priority → criterion → indicator results.

Every determination keeps its evidence as data (the evidence table of ``determine_da``); the
functions here turn that data into sentences for the CSV column and the ``explain`` command. The
reason comes first, as a principal would put it ("Eligible for Differentiated Assistance because
Students with Disabilities met the criteria in Pupil Achievement (Red on both ELA and Math) and
Pupil Engagement (Red on Chronic Absenteeism)."), then the results behind it, then Level 3, and
CDE's codes last. Group and indicator names are CDE's (``CDE_GROUP_NAMES``, the rule files).
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from continuum.dashboard.levels import STATUS_LABELS, STATUS_UNITS
from continuum.dashboard.rules import latest_rules, lower_is_better
from continuum.support.goals import CDE_GROUP_NAMES
from continuum.support.rules import COLOR_NAMES, DaRules

ENTITY_NAMES = {"district": "district", "coe": "county office of education", "charter": "charter"}
# The LCFF state priorities Differentiated Assistance looks at, as CDE names them.
PRIORITY_NAMES = {
    4: "Pupil Achievement",
    5: "Pupil Engagement",
    6: "School Climate",
    8: "Outcomes in a Broad Course of Study",
}
METHOD_TEXT = {
    1: "Method 1: a student group met the criteria in two or more state priority areas",
    2: "Method 2: two or more local indicators not met for two or more years",
    3: "Method 3: a student group met one state priority and one local indicator in a different "
    "priority was not met for two or more years",
    4: "Method 4: failed to certify end-of-year CALPADS data",
}


def status_name(indicator: str, level: int | None) -> str:
    """CDE's words for a status level of an indicator (1 is always the worst end)."""
    direction = "lower" if lower_is_better(indicator) else "higher"
    return STATUS_LABELS[direction].get(level or 0, "no status level")


def indicator_name(indicator: str) -> str:
    """An indicator's name as CDE spells it (from the rule data), e.g. 'Chronic Absenteeism'."""
    found = latest_rules().indicators.get(indicator)
    return found.name if found else indicator


def group_name(group: str) -> str:
    """A student group's name as CDE spells it, e.g. 'Students with Disabilities'."""
    return CDE_GROUP_NAMES.get(group, group)


def in_words(items: Sequence[str], separator: str = ", ") -> str:
    """'A', 'A and B', 'A, B and C' (with ``separator`` "; ": 'A; B; and C')."""
    if len(items) == 1:
        return items[0]
    last = f"{separator}and " if len(items) > 2 and separator != ", " else " and "
    return f"{separator.join(items[:-1])}{last}{items[-1]}"


def indicator_result(row: dict[str, object]) -> str:
    """One result in words, e.g. 'English Language Arts Red (Very Low, status -80.1 points,
    change -3.2 points, 412 students)'.

    The colour is left out when the result has none (status-only years and indicators).
    """
    indicator = str(row["indicator"])
    unit = STATUS_UNITS.get(indicator, "")
    color = row.get("color")
    level = row.get("statuslevel")
    colour = COLOR_NAMES.get(color, "") if isinstance(color, int) else ""
    parts = [status_name(indicator, level if isinstance(level, int) else None)]
    if isinstance(row.get("currstatus"), float):
        parts.append(f"status {row['currstatus']:.1f}{unit}")
    if isinstance(row.get("change"), float):
        parts.append(f"change {row['change']:+.1f}{unit}")
    if isinstance(row.get("currdenom"), float):
        parts.append(f"{row['currdenom']:.0f} students")
    name = indicator_name(indicator)
    label = f"{name} {colour}" if colour else name
    return f"{label} ({', '.join(parts)})"


def lea_explanations(
    table: pl.DataFrame,
    evidence: pl.DataFrame,
    local: pl.DataFrame,
    rules: DaRules,
    years_supplied: Sequence[int],
) -> pl.DataFrame:
    """One sentence-level explanation per LEA (the ``Explanation`` column)."""
    texts = []
    for row in table.iter_rows(named=True):
        texts.append(
            {
                "cds": row["cds"],
                "Explanation": explain_row(row, evidence, local, rules, years_supplied),
            }
        )
    return pl.DataFrame(texts, schema={"cds": pl.String(), "Explanation": pl.String()})


def explain_row(
    row: dict[str, object],
    evidence: pl.DataFrame,
    local: pl.DataFrame,
    rules: DaRules,
    years_supplied: Sequence[int],
    *,
    separator: str = " ",
) -> str:
    """The reasoning for one LEA; ``separator`` joins the sentences (newline for the terminal)."""
    cds = str(row["cds"])
    status = row.get(f"AssistanceStatus{rules.year}")
    sentences = [
        f"{row.get('name') or cds} ({ENTITY_NAMES[str(row['entity'])]}), "
        f"{rules.year} Dashboard: {status or 'status undetermined'}."
    ]
    by_priority: dict[str, dict[int, list[str]]] = {}
    results: dict[str, list[str]] = {}
    for group, priority, criterion, lines in _criteria(evidence, cds):
        by_priority.setdefault(group, {}).setdefault(priority, []).append(criterion)
        results.setdefault(group, []).extend(lines)
    met = {
        group: [
            f"{PRIORITY_NAMES.get(p, p)} ({'; '.join(found)})" for p, found in priorities.items()
        ]
        for group, priorities in by_priority.items()
    }
    local_priorities = sorted(local.filter(pl.col("cds") == cds)["priority"].to_list())
    sentences.append(_reason(row, rules, met, local_priorities))
    for group, lines in results.items():
        sentences.append(f"The results behind {group_name(group)}: {'; '.join(lines)}.")
    if local_priorities:
        sentences.append(
            "Local indicators not met for two or more years, counted for every student group: "
            f"priority {', '.join(str(p) for p in local_priorities)}."
        )
    sentences.extend(_status_reasons(row, rules, years_supplied))
    sentences.append(_codes(row, rules))
    return separator.join(sentences)


def _criteria(evidence: pl.DataFrame, cds: str) -> list[tuple[str, int, str, list[str]]]:
    """(group, priority, criterion, indicator results) for every criterion an LEA's groups met."""
    rows = evidence.filter(pl.col("cds") == cds).sort("studentgroup", "priority", "criterion")
    return [
        (str(group), int(str(priority)), str(criterion),
         [indicator_result(r) for r in part.iter_rows(named=True)])
        for (group, priority, criterion), part in rows.group_by(
            "studentgroup", "priority", "criterion", maintain_order=True
        )
    ]  # fmt: skip


def _reason(
    row: dict[str, object], rules: DaRules, met: dict[str, list[str]], local: list[int]
) -> str:
    """Why the LEA is, or is not, eligible for Differentiated Assistance, in one sentence."""
    methods = [m for m in rules.methods if row.get(f"MetMethod{m}") == "Y"]
    groups = [f"{group_name(g)} met the criteria in {in_words(found)}" for g, found in met.items()]
    if not methods:
        if not met and not local:
            return (
                f"Not eligible for Differentiated Assistance on the {rules.year} Dashboard: no "
                "student group met the criteria in any state priority area at or above the n-size."
            )
        only = [f"{group_name(g)} met them in {in_words(found)} only" for g, found in met.items()]
        only_text = in_words(only, "; ")
        return (
            f"Not eligible for Differentiated Assistance on the {rules.year} Dashboard: a student "
            "group must meet the criteria in two or more state priority areas"
            + (f", and {only_text}" if only else "")
            + "."
        )
    two_or_more = [
        f"{group_name(g)} met the criteria in {in_words(found)}"
        for g, found in met.items()
        if len(found) >= 2
    ]
    reasons = [in_words(two_or_more, "; ")] if 1 in methods and two_or_more else []
    if 3 in methods:
        groups = [
            f"{group_name(g)} met the criteria in {in_words(found)}" for g, found in met.items()
        ]
        reasons.append(
            f"{in_words(groups)}, and a local indicator in a different priority was not met for "
            "two or more years"
        )
    reasons += [f"the LEA met {METHOD_TEXT[m]}" for m in methods if m in (2, 4)]
    # A charter must meet the criteria in more than one year (the sentence after this says so).
    opening = (
        f"Met the criteria for Differentiated Assistance on the {rules.year} Dashboard"
        if row["entity"] == "charter"
        else "Eligible for Differentiated Assistance"
    )
    return f"{opening} because {'; and '.join(reasons)}."


def _codes(row: dict[str, object], rules: DaRules) -> str:
    """CDE's codes behind the sentences, as in its file (for whoever compares with it): each
    group's priority code (A–K), the methods met, the Level 3 flag."""
    codes = [f"TotalStudentGroups {row.get('TotalStudentGroups')}"]
    codes += [
        f"{column} {code}"
        for column, code in row.items()
        if column.endswith("priorities") and code not in (None, "*")
    ]
    methods = [f"MetMethod{m} {row.get(f'MetMethod{m}') or 'N'}" for m in rules.methods]
    codes += methods
    if row["entity"] != "charter":
        codes.append(f"EC52072_{rules.year} {row.get(f'EC52072_{rules.year}') or 'undetermined'}")
    return f"Codes (as in CDE's file): {'; '.join(codes)}."


def _status_reasons(
    row: dict[str, object], rules: DaRules, years_supplied: Sequence[int]
) -> list[str]:
    out = []
    status = row.get(f"AssistanceStatus{rules.year}")
    if row["entity"] == "charter":
        years = ", ".join(str(y) for y in rules.charter_years)
        missing = [y for y in rules.charter_years if y not in years_supplied]
        if missing:
            out.append(
                f"Charters must meet the criteria in {years}; {missing[0]} was not supplied."
            )
        else:
            out.append(f"Charters must meet the criteria in each of {years}.")
    if status is None and row["entity"] != "charter":
        out.append(
            f"Year 2 needs the {rules.year - 1} Dashboard results or CDE's {rules.year - 1} file "
            "(--history), and neither was supplied."
        )
    if str(status).endswith("Year 2"):
        out.append(f"In Year 1 in {rules.year - 1} and not identified again, so in Year 2.")
    if row["entity"] != "charter":
        flag = row.get(f"EC52072_{rules.year}")
        years = in_words([str(y) for y in rules.level3_years])
        met = row.get("level3_years_met")
        unknown = row.get("level3_years_unknown")
        text = (
            "Level 3 (EC 52072/52072.5) applies when three or more student groups (all of them, "
            f"if fewer) met the criteria in at least three of the years {years}. They did in "
            f"{met} of those years"
        )
        if row.get("level3_years_detail"):
            text += f" ({row['level3_years_detail']})"
        if unknown:
            text += f"; {unknown} are unknown ({row.get('level3_unknown_years')})"
        outcome = {"Y": "the LEA meets Level 3", "N": "the LEA does not meet Level 3"}
        out.append(f"{text}, so {outcome.get(str(flag), 'Level 3 is undetermined')}.")
    return out
