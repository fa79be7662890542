"""Improvement-science tools for the Differentiated Assistance workspace.

Pure: no Django, no I/O.
"""
