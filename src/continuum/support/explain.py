"""Explanations in words: student group → priority → criterion → indicator results.

Every determination keeps its evidence as data (the evidence table of ``determine_da``); the
functions here turn that data into sentences for the CSV column and the ``explain`` command.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from continuum.dashboard.levels import STATUS_LABELS
from continuum.dashboard.rules import lower_is_better
from continuum.support.rules import COLOR_NAMES, DaRules

ENTITY_NAMES = {"district": "district", "coe": "county office of education", "charter": "charter"}
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


def indicator_result(row: dict[str, object]) -> str:
    """One result in words, e.g. 'ELA Red (Very Low, status -80.1, change -3.2, n 412)'.

    The colour is left out when the result has none (status-only years and indicators).
    """
    indicator = str(row["indicator"])
    color = row.get("color")
    level = row.get("statuslevel")
    colour = COLOR_NAMES.get(color, "") if isinstance(color, int) else ""
    parts = [status_name(indicator, level if isinstance(level, int) else None)]
    if isinstance(row.get("currstatus"), float):
        parts.append(f"status {row['currstatus']:.1f}")
    if isinstance(row.get("change"), float):
        parts.append(f"change {row['change']:+.1f}")
    if isinstance(row.get("currdenom"), float):
        parts.append(f"n {row['currdenom']:.0f}")
    label = f"{indicator} {colour}" if colour else indicator
    return f"{label} ({', '.join(parts)})"


def group_evidence_lines(evidence: pl.DataFrame, cds: str) -> list[tuple[str, str, list[str]]]:
    """(group, priority heading, indicator lines) for every criterion an LEA's groups met."""
    rows = evidence.filter(pl.col("cds") == cds).sort("studentgroup", "priority", "criterion")
    out: list[tuple[str, str, list[str]]] = []
    for (group, priority, criterion), part in rows.group_by(
        "studentgroup", "priority", "criterion", maintain_order=True
    ):
        heading = f"priority {priority}: {criterion}"
        out.append((str(group), heading, [indicator_result(r) for r in part.iter_rows(named=True)]))
    return out


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
    methods = [m for m in rules.methods if row.get(f"MetMethod{m}") == "Y"]
    if methods:
        sentences.append("Met " + "; ".join(METHOD_TEXT[m] for m in methods) + ".")
    by_group: dict[str, list[str]] = {}
    for group, heading, lines in group_evidence_lines(evidence, cds):
        by_group.setdefault(group, []).append(f"{heading} [{'; '.join(lines)}]")
    for group, items in by_group.items():
        code = row.get(f"{'TOM' if group == 'MR' else group}priorities")
        label = f"{group} (code {code})" if code not in (None, "*") else group
        sentences.append(f"{label}: " + "; ".join(items) + ".")
    local_priorities = sorted(local.filter(pl.col("cds") == cds)["priority"].to_list())
    if local_priorities:
        sentences.append(
            "Local indicators not met for two or more years, counted for every student group: "
            f"priority {', '.join(str(p) for p in local_priorities)}."
        )
    if not by_group and not local_priorities:
        sentences.append("No student group met a criterion at or above the n-size.")
    sentences.append(f"TotalStudentGroups {row.get('TotalStudentGroups')}.")
    sentences.extend(_status_reasons(row, rules, years_supplied))
    return separator.join(sentences)


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
        years = ", ".join(str(y) for y in rules.level3_years)
        met = row.get("level3_years_met")
        unknown = row.get("level3_years_unknown")
        text = (
            f"Level 3 (EC 52072/52072.5): three or more student groups (all, if fewer) met the "
            f"criteria in {met} of the years {years}"
        )
        if row.get("level3_years_detail"):
            text += f" ({row['level3_years_detail']})"
        if unknown:
            text += f"; {unknown} of those years unknown ({row.get('level3_unknown_years')})"
        out.append(f"{text}: EC52072 {flag or 'undetermined'}.")
    return out
