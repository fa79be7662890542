"""What every chart shares: round scales, one axis implementation, the stylesheet's section."""

from __future__ import annotations

from continuum.web.charts.frame import STYLES_HEADING, nice_scale, number, print_styles


def test_scale_ends_on_round_numbers_around_the_values() -> None:
    scale = nice_scale([-80.5, 31.2, -20.4], 200, 550)
    assert (scale.low, scale.high, scale.step) == (-100, 50, 50)
    assert scale.values() == [-100, -50, 0, 50]
    assert scale.at(-100) == 200 and scale.at(50) == 550


def test_a_single_value_still_gets_a_scale_with_room_around_it() -> None:
    scale = nice_scale([7.0], 0, 100)
    assert scale.low < 7 < scale.high


def test_numbers_print_without_a_trailing_zero_or_a_negative_zero() -> None:
    assert [number(v) for v in (12.0, 12.34, -0.01, -5.0)] == ["12", "12.3", "0", "-5"]


def test_pdf_pages_get_the_charts_section_of_the_site_stylesheet() -> None:
    styles = print_styles()
    assert styles.startswith(STYLES_HEADING)
    assert ".chart-better" in styles and "var(--blue, #0d47a1)" in styles
