"""Continuum: California's Statewide System of Support, for county offices of education."""

__version__ = "0.1.0"
