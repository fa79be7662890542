"""The glossary page: CDE's terms as the site spells them, each with an anchor that table
headings and pages link to (``{% url 'glossary' %}#status``)."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from continuum.web.accountability.selectors import GROUP_NAMES, INDICATOR_NAMES


@dataclass(frozen=True)
class Term:
    """One glossary entry: its anchor, the term as spelled on the pages and its meaning."""

    anchor: str
    term: str
    meaning: str


TERMS: tuple[Term, ...] = (
    Term("dashboard", "California School Dashboard",
         "The state's yearly report of how each LEA and school does on the state indicators, "
         "for all students and for each student group. Continuum reads CDE's download files."),
    Term("lea", "LEA (local educational agency)",
         "A school district, a county office of education (COE) or a charter school that reports "
         "on its own. LEA type: Elementary, High, Unified, COE or charter."),
    Term("cds", "CDS code",
         "The 14-digit County-District-School code CDE gives every county, LEA and school."),
    Term("status", "Status",
         "This year's result on an indicator: a rate in percent (for example chronic absenteeism) "
         "or, for English Language Arts and Mathematics, the average distance from standard (DFS) "
         "in points."),
    Term("change", "Change",
         "Status this year minus status last year. For chronic absenteeism and suspension a fall "
         "is an improvement; for the other indicators a rise is."),
    Term("dfs", "Distance from standard (DFS)",
         "How far, on average, students' scale scores are above (+) or below (−) the lowest score "
         "for Standard Met on the Smarter Balanced tests."),
    Term("performance-level", "Performance level (colour)",
         "One of five colours, from lowest to highest: Red, Orange, Yellow, Green, Blue. It comes "
         "from the status level and the change level through CDE's five-by-five table for the "
         "indicator. Continuum always shows the colour's word and shape: ▼ Red, ◆ Orange, "
         "■ Yellow, ▲ Green, ★ Blue. Green and Blue mean better, Orange and Red worse."),
    Term("status-level", "Status level",
         "Where the status falls among five bands set by the State Board (Very Low to Very High)."),
    Term("change-level", "Change level",
         "Where the change falls among five bands (Declined Significantly to Increased "
         "Significantly)."),
    Term("five-by-five", "Five-by-five placement",
         "The grid of status level by change level that gives each result its colour."),
    Term("n-size", "Students counted (n-size)",
         "A result gets a colour only with enough students this year and last year: 30, or 15 "
         "for Foster Youth, Homeless Youth and Long-Term English Learners in an LEA. Fewer than "
         "11 students: nothing is shown, for privacy."),
    Term("student-group", "Student group",
         "A group the Dashboard reports separately. Codes as CDE spells them: "
         + "; ".join(f"{code} = {name}" for code, name in GROUP_NAMES.items()) + "."),
    Term("indicator", "Indicator",
         "One of the state measures: " + "; ".join(INDICATOR_NAMES.values()) + "."),
    Term("priority", "State priority area and priority code",
         "The eight priorities of LCFF. DA counts a group's results in Pupil Achievement "
         "(priority 4), Pupil Engagement (5), School Climate (6) and Course Access (8). CDE's "
         "letters name the combination met: A = priorities 4, 5 and 6; B = 4 and 5; C = 5 and "
         "6; D = 4 and 6; E to K combine priority 8 with others."),
    Term("level-1", "Level 1: Support for all (General Assistance)",
         "Resources and assistance available to every LEA."),
    Term("da", "Level 2: Differentiated Assistance (DA)",
         "Support from the county office for an LEA in which the same student group meets the "
         "criteria in two different state priority areas. From 2023 CDE marks Year 1 and Year 2."),
    Term("level-3", "Level 3: Intensive intervention (EC 52072)",
         "For a district or COE whose three or more student groups (or all, if fewer) met the DA "
         "criteria in three out of four consecutive years: the California Collaborative for "
         "Educational Excellence (CCEE) decides whether it needs its assistance. CDE's files mark "
         "it in the EC52072 column (Y or N)."),
    Term("support-level", "Support level",
         "An LEA's level in the Statewide System of Support for the year: Level 1, Level 2 (DA) "
         "or Level 3."),
    Term("csi", "CSI (Comprehensive Support and Improvement)",
         "ESSA support for a school: CSI Low Performing (a Title I school among the lowest "
         "performing, by its colours) or CSI Low Graduation (a high school with a low graduation "
         "rate)."),
    Term("atsi", "ATSI (Additional Targeted Support and Improvement)",
         "ESSA support for a school that is not CSI and has a student group that meets a CSI "
         "Low Performing criterion."),
    Term("tsi", "TSI (Targeted Support and Improvement)",
         "ESSA support for a school with a student group that meets the CSI criteria for two "
         "consecutive years; determined from the 2024 Dashboard in years that are not CSI/ATSI "
         "entry years."),
    Term("equity-gap", "Gap to all students",
         "A student group's status minus the all-students status on the same indicator."),
)  # fmt: skip


@require_GET
def glossary(request: HttpRequest) -> HttpResponse:
    """Every term, in the order a newcomer meets them."""
    return render(request, "glossary.html", {"terms": TERMS})
