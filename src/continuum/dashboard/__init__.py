"""Dashboard engine: read CDE Dashboard files and compute status, change and colour as CDE does.

Pure library: Polars in, Polars out. No Django, no database, no network.
"""
