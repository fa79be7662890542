"""Synthetic county generator: CDE-shaped Dashboard download files with realistic distributions.

``generate_county`` writes a demo county, ``generate_statewide`` a California-sized state, both
in the exact layout of CDE's files for a chosen Dashboard year, deterministic for a seed.
"""

from continuum.synth.generate import (
    GeneratedFiles,
    county_entities,
    generate_county,
    generate_files,
    generate_statewide,
    statewide_entities,
)

__all__ = [
    "GeneratedFiles",
    "county_entities",
    "generate_county",
    "generate_files",
    "generate_statewide",
    "statewide_entities",
]
