"""The charts of the accountability pages and the LEA summary PDF: stored results read by the
selectors, laid out by ``continuum.web.charts``. Callers pass an entity they obtained through
an ``access_*`` helper, so the user's scope is checked before anything is read."""

from __future__ import annotations

from continuum.dashboard.levels import STATUS_UNITS
from continuum.dashboard.rules import INDICATORS, available_years, latest_rules
from continuum.web.accountability import selectors
from continuum.web.agencies.models import County
from continuum.web.charts.distribution import DistributionChart, distribution_chart
from continuum.web.charts.equity import EquityChart, equity_chart
from continuum.web.charts.trend import TrendChart, YearResult, trend_chart


def equity_charts(*, cds: str, year: int, indicator: str = "") -> list[EquityChart]:
    """One chart per indicator (or only ``indicator``'s): every group's status on one scale, all
    students for reference."""
    return [
        equity_chart(
            key=f"equity-{found.code}",
            title=f"{found.name}, {year} Dashboard",
            unit=found.unit,
            direction=found.direction,
            everyone=found.everyone,
            groups=found.groups,
        )
        for found in selectors.equity_statuses(cds=cds, year=year)
        if not indicator or found.code == indicator
    ]


def trend_charts(*, cds: str, group: str) -> list[TrendChart]:
    """One chart per indicator with results: one group's status, Dashboard year by year."""
    trend = selectors.entity_trend(cds=cds, group=group)
    name = selectors.GROUP_NAMES.get(group, group)
    dashboard_years = available_years()
    return [
        trend_chart(
            key=f"trend-{indicator}",
            title=f"{selectors.INDICATOR_NAMES[indicator]}: {name}, year by year",
            unit=STATUS_UNITS[indicator],
            direction=latest_rules().indicator(indicator).direction,
            results={year: YearResult(*found) for year, found in trend[indicator].items()},
            dashboard_years=dashboard_years,
        )
        for indicator in INDICATORS
        if indicator in trend
    ]


def trend_view(*, cds: str, requested: str | None) -> dict[str, object]:
    """The trend section's context: the group asked for when the entity has results for it
    (else all students), the groups to choose from, and the charts."""
    groups = selectors.entity_groups(cds=cds)
    group = requested if requested in groups else "ALL"
    return {
        "trend_group": group,
        "trend_groups": groups,
        "trends": trend_charts(cds=cds, group=group),
    }


def county_distribution(*, county: County, year: int) -> DistributionChart | None:
    """How many of the county's LEAs had each colour, per indicator (None with no results)."""
    counts = selectors.county_colour_counts(county=county, year=year)
    if not counts:
        return None
    return distribution_chart(
        key="distribution",
        title=f"{county}: LEAs by colour (all students), {year} Dashboard",
        counted="LEAs",
        indicators=[
            (selectors.INDICATOR_NAMES[code], counts[code]) for code in INDICATORS if code in counts
        ],
    )
