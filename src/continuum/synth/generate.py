"""Generate a synthetic county or state as CDE Dashboard download files for one year."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from continuum.dashboard.files import FILE_PREFIXES
from continuum.dashboard.rules import INDICATORS, load_rules
from continuum.errors import InputError
from continuum.formats.dashboard_downloads import file_layouts, file_name, write_tab_separated
from continuum.synth.entities import (
    CountyPlan,
    Entities,
    build_entities,
    demo_county,
    statewide_counties,
)
from continuum.synth.model import MODELS, draw_indicator, population
from continuum.synth.writer import cde_frame, with_lea_and_state_rows

ProgressCallback = Callable[[str], None]

# Independent random streams, so that one part's draws never shift another's.
_STREAM_PLAN, _STREAM_ENTITIES, _STREAM_POPULATION = 0, 1, 2
_STREAM_INDICATOR, _STREAM_FORMAT = 10, 30


@dataclass(frozen=True)
class GeneratedFiles:
    """What a run wrote: one file per indicator, with its row count."""

    directory: Path
    rows: dict[Path, int]
    schools: int
    leas: int

    @property
    def total_rows(self) -> int:
        """Rows over all files (headers excluded)."""
        return sum(self.rows.values())


def reported_layouts(year: int) -> dict[str, tuple[str, ...]]:
    """The year's CDE file layouts for the indicators its rule set reports: the files written."""
    reported = load_rules(year).indicators
    return {
        prefix: layout
        for prefix, layout in file_layouts(year).items()
        if FILE_PREFIXES[prefix] in reported
    }


def steps(year: int) -> int:
    """Progress steps of a run: building the entities, then one per file."""
    return 1 + len(reported_layouts(year))


def generate_county(
    out_dir: Path, *, year: int = 2025, seed: int = 0, progress: ProgressCallback | None = None
) -> GeneratedFiles:
    """The demo county (a county office, 13 districts, ~250 schools) with a state row."""
    return generate_files([demo_county()], out_dir, year=year, seed=seed, progress=progress)


def county_entities(*, seed: int = 0) -> Entities:
    """The demo county's LEAs and schools: the same ones ``generate_county`` writes rows for."""
    return build_entities([demo_county()], _rng(seed, _STREAM_ENTITIES))


def statewide_entities(*, seed: int = 0) -> Entities:
    """The statewide set's LEAs and schools: those ``generate_statewide`` writes rows for."""
    counties = statewide_counties(_rng(seed, _STREAM_PLAN))
    return build_entities(counties, _rng(seed, _STREAM_ENTITIES))


def generate_statewide(
    out_dir: Path, *, year: int = 2025, seed: int = 0, progress: ProgressCallback | None = None
) -> GeneratedFiles:
    """A California-sized state: 58 counties, ~1,000 districts, ~10,000 schools."""
    counties = statewide_counties(_rng(seed, _STREAM_PLAN))
    return generate_files(counties, out_dir, year=year, seed=seed, progress=progress)


def generate_files(
    counties: Sequence[CountyPlan],
    out_dir: Path,
    *,
    year: int,
    seed: int,
    progress: ProgressCallback | None = None,
) -> GeneratedFiles:
    """Write ``{ela,math,…}download{year}.txt`` for the counties into ``out_dir``; the same seed
    gives the same files byte for byte."""
    layouts = reported_layouts(year)
    rules = load_rules(year)
    _prepare(out_dir)
    entities = build_entities(counties, _rng(seed, _STREAM_ENTITIES))
    people = population(entities.schools, _rng(seed, _STREAM_POPULATION))
    if progress:
        progress(f"{entities.schools.height:,} schools, {entities.leas.height:,} LEAs")
    rows: dict[Path, int] = {}
    for prefix, layout in layouts.items():
        indicator = FILE_PREFIXES[prefix]
        stream = INDICATORS.index(indicator)
        model = MODELS[indicator]
        drawn = draw_indicator(
            model, entities.schools, people, _rng(seed, _STREAM_INDICATOR + stream), year=year
        )
        frame = with_lea_and_state_rows(drawn, entities)
        cde = cde_frame(
            frame,
            prefix=prefix,
            indicator=indicator,
            measure=model.measure,
            layout=layout,
            rules=rules,
            rng=_rng(seed, _STREAM_FORMAT + stream),
        )
        path = out_dir / file_name(prefix, year)
        try:
            write_tab_separated(cde, path)
        except OSError as error:
            raise InputError(path, f"cannot write the file: {error.strerror or error}") from error
        rows[path] = cde.height
        if progress:
            progress(f"{path.name}: {cde.height:,} rows")
    return GeneratedFiles(
        directory=out_dir,
        rows=rows,
        schools=entities.schools.height,
        leas=entities.leas.height,
    )


def _prepare(out_dir: Path) -> None:
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError(out_dir, "exists and is not a directory")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise InputError(out_dir, f"cannot create the directory: {error.strerror}") from error


def _rng(seed: int, stream: int) -> np.random.Generator:
    return np.random.default_rng([seed, stream])
