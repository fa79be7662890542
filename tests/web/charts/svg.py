"""Charts rendered by their template and parsed, so that tests read what a browser draws."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from django.template.loader import render_to_string

SVG = "{http://www.w3.org/2000/svg}"


def svgs_in(html: str) -> list[ET.Element]:
    """Every chart SVG of a page, parsed."""
    return [ET.fromstring(s) for s in re.findall(r'<svg class="chart-svg".*?</svg>', html, re.S)]


def rendered(chart: object, **context: object) -> str:
    """The chart drawn by ``charts/chart.html``."""
    return render_to_string("charts/chart.html", {"chart": chart, **context})


def drawn(chart: object) -> ET.Element:
    """The chart's SVG element, parsed."""
    (svg,) = svgs_in(rendered(chart))
    return svg


def classes(element: ET.Element) -> set[str]:
    """The element's CSS classes."""
    return set(element.get("class", "").split())


def find_all(svg: ET.Element, tag: str, css: str) -> list[ET.Element]:
    """Every ``tag`` element with the CSS class ``css``."""
    return [e for e in svg.iter(f"{SVG}{tag}") if css in classes(e)]


def texts(svg: ET.Element, css: str) -> list[str]:
    """The words of every ``<text>`` with the CSS class ``css``."""
    return [e.text or "" for e in find_all(svg, "text", css)]
