"""CDE Dashboard download files: the exact column names and order of each file, per Dashboard
year, and CDE's text format for writing them.

Taken from the headers of CDE's own files (the 2025 files for 2024 and 2025, Monterey County's
2023 and 2022 files for those years). Names keep CDE's spelling and case, including its
inconsistencies (``changeLevel`` in the 2025 chronic file, a truncated
``prior_aprep_statefedjobs_dass_pc``), because readers of real files must cope with them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from continuum.errors import RuleError

if TYPE_CHECKING:
    import polars as pl

_LAYOUTS_2025: dict[str, str] = {
    "cci": (
        "cds rtype schoolname districtname countyname charter_flag coe_flag dass_flag "
        "studentgroup studentgroup_pct currdenom currstatus priordenom priorstatus change "
        "statuslevel changelevel color box smalldenom currnsizemet priornsizemet "
        "accountabilitymet curr_prep curr_prep_pct curr_prep_summative curr_prep_summative_pct "
        "curr_prep_ap curr_prep_ap_pct curr_prep_ibexam curr_prep_ibexam_pct "
        "curr_prep_collegecredit curr_prep_collegecredit_pct curr_prep_agplus "
        "curr_prep_agplus_pct curr_prep_cteplus curr_prep_cteplus_pct curr_prep_ssb "
        "curr_prep_ssb_pct curr_prep_milsci curr_prep_milsci_pct curr_prep_reg_pre "
        "curr_prep_reg_pre_pct curr_prep_statefedjobs_DASS curr_prep_statefedjobs_DASS_pct "
        "curr_prep_trans_classwk curr_prep_trans_classwk_pct curr_aprep curr_aprep_pct "
        "curr_aprep_summative curr_aprep_summative_pct curr_aprep_collegecredit "
        "curr_aprep_collegecredit_pct curr_aprep_ag curr_aprep_ag_pct curr_aprep_cte "
        "curr_aprep_cte_pct curr_aprep_milsci curr_aprep_milsci_pct curr_aprep_statefedjobs_DASS "
        "curr_aprep_statefedjobs_dass_pct curr_aprep_trans_classwk curr_aprep_trans_classwk_pct "
        "curr_nprep curr_nprep_pct prior_prep prior_prep_pct prior_prep_summative "
        "prior_prep_summative_pct prior_prep_ap prior_prep_ap_pct prior_prep_ibexam "
        "prior_prep_ibexam_pct prior_prep_collegecredit prior_prep_collegecredit_pct "
        "prior_prep_agplus prior_prep_agplus_pct prior_prep_cteplus prior_prep_cteplus_pct "
        "prior_prep_ssb prior_prep_ssb_pct prior_prep_milsci prior_prep_milsci_pct "
        "prior_prep_reg_pre prior_prep_reg_pre_pct prior_prep_statefedjobs_DASS "
        "prior_prep_statefedjobs_DASS_pct prior_prep_trans_classwk prior_prep_trans_classwk_pct "
        "prior_aprep prior_aprep_pct prior_aprep_summative prior_aprep_summative_pct "
        "prior_aprep_collegecredit prior_aprep_collegecredit_pct prior_aprep_ag "
        "prior_aprep_ag_pct prior_aprep_cte prior_aprep_cte_pct prior_aprep_milsci "
        "prior_aprep_milsci_pct prior_aprep_statefedjobs_DASS prior_aprep_statefedjobs_dass_pc "
        "prior_aprep_trans_classwk prior_aprep_trans_classwk_pct prior_nprep prior_nprep_pct "
        "indicator reportingyear"
    ),
    "chronic": (
        "cds rtype schoolname districtname countyname charter_flag coe_flag dass_flag "
        "studentgroup currnumer currdenom currstatus priornumer priordenom priorstatus change "
        "statuslevel changeLevel color box smalldenom currnsizemet priornsizemet "
        "accountabilitymet certifyflag priorcertifyflag dataerrorflag indicator reportingyear"
    ),
    "ela": (
        "cds rtype schoolname districtname countyname charter_flag coe_flag dass_flag "
        "studentgroup currdenom currstatus priordenom priorstatus change statuslevel changelevel "
        "color box currnsizemet priornsizemet accountabilitymet hscutpoints pairshare_method "
        "currprate_enrolled currprate_tested currprate currnumPRLOSS currdenom_withoutPRLOSS "
        "currstatus_withoutPRLOSS priorprate_enrolled priorprate_tested priorprate priornumPRLOSS "
        "priordenom_withoutPRLOSS priorstatus_withoutPRLOSS indicator reportingyear"
    ),
    "elpi": (
        "cds rtype schoolname districtname countyname charter_flag coe_flag dass_flag "
        "studentgroup currprogressed currmaintainPL4 currmaintainOth currdeclined "
        "currprogressed_Alternate currmaintainPL3_Alternate currnotprognotmain_Alternate curr95 "
        "currnumer currdenom currstatus priorprogressed priormaintainPL4 priormaintainOth "
        "priordeclined priorprogressed_Alternate priormaintainPL3_Alternate "
        "priornotprognotmain_Alternate prior95 priornumer priordenom priorstatus change "
        "statuslevel changelevel color box currnsizemet priornsizemet accountabilitymet indicator "
        "reportingyear"
    ),
    "grad": (
        "cds rtype schoolname districtname countyname charter_flag coe_flag dass_flag "
        "studentgroup currnumer currdenom currstatus priornumer priordenom priorstatus change "
        "statuslevel changelevel color box smalldenom fiveyrnumer currnsizemet priornsizemet "
        "accountabilitymet indicator reportingyear"
    ),
    "science": (
        "cds rtype schoolname districtname countyname charter_flag coe_flag dass_flag "
        "studentgroup currdenom currstatus priordenom priorstatus change statuslevel changelevel "
        "color box currnsizemet priornsizemet accountabilitymet currprate_enrolled "
        "currprate_tested currprate currnumPRLOSS currdenom_withoutPRLOSS "
        "currstatus_withoutPRLOSS priorprate_enrolled priorprate_tested priorprate priornumPRLOSS "
        "priordenom_withoutPRLOSS priorstatus_withoutPRLOSS indicator reportingyear"
    ),
    "susp": (
        "cds rtype schoolname districtname countyname charter_flag coe_flag dass_flag type "
        "studentgroup currnumer currdenom currstatus priornumer priordenom priorstatus change "
        "statuslevel changelevel color box smalldenom currnsizemet priornsizemet "
        "accountabilitymet certifyflag priorcertifyflag indicator reportingyear"
    ),
}
_LAYOUTS_2025["math"] = _LAYOUTS_2025["ela"]  # CDE's ELA and Math files share one layout
_LAYOUTS_2023: dict[str, str] = {
    "cci": (
        "cds rtype schoolname districtname countyname charter_flag coe_flag dass_flag "
        "studentgroup studentgroup_pct currdenom currstatus currnsizemet curr_prep curr_prep_pct "
        "curr_prep_summative curr_prep_summative_pct curr_prep_apexam curr_prep_apexam_pct "
        "curr_prep_ibexam curr_prep_ibexam_pct curr_prep_collegecredit "
        "curr_prep_collegecredit_pct curr_prep_agplus curr_prep_agplus_pct curr_prep_cteplus "
        "curr_prep_cteplus_pct curr_prep_ssb curr_prep_ssb_pct curr_prep_milsci "
        "curr_prep_milsci_pct curr_prep_reg_pre curr_prep_reg_pre_pct curr_prep_non_reg_pre "
        "curr_prep_non_reg_pre_pct curr_prep_non_reg_pre_dass curr_prep_non_reg_pre_dass_pct "
        "curr_prep_statefedjobs_dass curr_prep_statefedjobs_dass_pct curr_prep_trans_classwk "
        "curr_prep_trans_classwk_pct curr_aprep curr_aprep_pct curr_aprep_summative "
        "curr_aprep_summative_pct curr_aprep_collegecredit curr_aprep_collegecredit_pct "
        "curr_aprep_ag curr_aprep_ag_pct curr_aprep_cte curr_aprep_cte_pct curr_aprep_milsci "
        "curr_aprep_milsci_pct curr_aprep_non_reg_pre curr_aprep_non_reg_pre_pct "
        "curr_aprep_statefedjobs_dass curr_aprep_statefedjobs_dass_pct curr_aprep_trans_classwk "
        "curr_aprep_trans_classwk_pct curr_nprep curr_nprep_pct statuslevel indicator "
        "reportingyear"
    ),
    "chronic": (
        "cds rtype schoolname districtname countyname charter_flag coe_flag dass_flag "
        "studentgroup currdenom currnumer currstatus currnsizemet priornumer priordenom "
        "priorstatus change statuslevel changelevel color box smalldenom priornsizemet "
        "accountabilitymet indicator reportingyear"
    ),
    "ela": (
        "cds rtype schoolname districtname countyname charter_flag coe_flag dass_flag "
        "studentgroup currdenom currstatus hscutpoints currdenom_withoutPRLOSS "
        "currstatus_withoutPRLOSS currnsizemet priordenom priorstatus change statuslevel "
        "changelevel color box priornsizemet accountabilitymet currprate_enrolled "
        "currprate_tested currprate currnumPRLOSS priorprate_enrolled priorprate_tested "
        "priorprate priornumPRLOSS priordenom_withoutPRLOSS priorstatus_withoutPRLOSS indicator "
        "reportingyear"
    ),
    "elpi": (
        "cds rtype schoolname districtname countyname charter_flag coe_flag dass_flag "
        "studentgroup currdenom currnumer currstatus currprogressed currdeclined currnsizemet "
        "priornumer priordenom priorstatus change statuslevel changelevel color box priornsizemet "
        "accountabilitymet currmaintainPL4 currmaintainOth currprogressed_Alternate "
        "currmaintainPL3_Alternate currnotprognotmain_Alternate curr95 priorprogressed "
        "priormaintainPL4 priormaintainOth priordeclined prior95 currnsizegroup priornsizegroup "
        "indicator reportingyear"
    ),
    "grad": (
        "cds rtype schoolname districtname countyname charter_flag coe_flag dass_flag "
        "studentgroup currdenom currnumer currstatus fiveyrnumer currnsizemet priornumer "
        "priordenom priorstatus change statuslevel changelevel color box smalldenom priornsizemet "
        "accountabilitymet indicator reportingyear"
    ),
    "susp": (
        "cds rtype schoolname districtname countyname charter_flag coe_flag dass_flag type "
        "studentgroup currdenom currnumer currstatus currnsizemet priornumer priordenom "
        "priorstatus change statuslevel changelevel color box smalldenom priornsizemet "
        "accountabilitymet indicator reportingyear"
    ),
}
_LAYOUTS_2023["math"] = _LAYOUTS_2023["ela"]  # CDE's ELA and Math files share one layout
_LAYOUTS_2022: dict[str, str] = {
    "chronic": (
        "cds rtype schoolname districtname countyname charter_flag coe_flag dass_flag "
        "studentgroup currnumer currdenom currstatus statuslevel indicator reportingyear"
    ),
    "ela": (
        "cds rtype schoolname districtname countyname charter_flag coe_flag dass_flag "
        "studentgroup currdenom currstatus hscutpoints prate_enrolled prate_tested prate "
        "numPRLOSS currdenom_withoutPRLOSS currstatus_withoutPRLOSS statuslevel indicator "
        "reportingyear"
    ),
    "elpi": (
        "cds rtype schoolname districtname countyname charter_flag coe_flag dass_flag "
        "studentgroup currnumer currdenom currstatus currprogressed pctcurrprogressed "
        "currmaintainPL4 pctcurrmaintainpl4 currmaintainOth pctcurrmaintainoth currdeclined "
        "pctcurrdeclined flag95pct nsizemet nsizegroup statuslevel indicator reportingyear"
    ),
    "grad": (
        "cds rtype schoolname districtname countyname charter_flag coe_flag dass_flag "
        "studentgroup currnumer currdenom currstatus fiveyrnumer statuslevel indicator "
        "reportingyear"
    ),
    "susp": (
        "cds rtype schoolname districtname countyname charter_flag coe_flag dass_flag type "
        "studentgroup currnumer currdenom currstatus statuslevel indicator reportingyear"
    ),
}
_LAYOUTS_2022["math"] = _LAYOUTS_2022["ela"]  # CDE's ELA and Math files share one layout

# Which year's headers each Dashboard year uses (2024 shares the 2025 layout).
_LAYOUTS_BY_YEAR: dict[int, dict[str, str]] = {
    2022: _LAYOUTS_2022,
    2023: _LAYOUTS_2023,
    2024: _LAYOUTS_2025,
    2025: _LAYOUTS_2025,
}


def layout_years() -> tuple[int, ...]:
    """Dashboard years with a known layout."""
    return tuple(sorted(_LAYOUTS_BY_YEAR))


def file_layouts(year: int) -> dict[str, tuple[str, ...]]:
    """File prefix (``ela``, ``susp``, …) → column names in order, for every file of the year's
    layout (a year's rule set may report fewer indicators: 2024 has no science file)."""
    if year not in _LAYOUTS_BY_YEAR:
        years = ", ".join(str(y) for y in layout_years())
        raise RuleError(
            "continuum.formats.dashboard_downloads",
            "year",
            f"no CDE file layout for {year}; use one of {years}",
        )
    return {prefix: tuple(header.split()) for prefix, header in _LAYOUTS_BY_YEAR[year].items()}


def flag_no(prefix: str, column: str) -> str | None:
    """What a Y/N flag column holds when the answer is no (None: left blank). Most files leave it
    blank; the graduation file writes N, and so does ELPI except in ``accountabilitymet``."""
    if prefix == "grad" or (prefix == "elpi" and column.lower() != "accountabilitymet"):
        return "N"
    return None


def file_name(prefix: str, year: int) -> str:
    """CDE's file name, e.g. ``eladownload2025.txt``."""
    return f"{prefix}download{year}.txt"


def write_tab_separated(frame: pl.DataFrame, path: Path) -> None:
    """Tab-separated, unquoted, blanks for missing values, LF line ends: CDE's text format."""
    frame.write_csv(path, separator="\t", null_value="", quote_style="never", line_terminator="\n")
