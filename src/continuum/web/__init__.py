"""Continuum's web platform: a Django project over the same engines as the CLI.

``continuum serve`` runs the demo; ``continuum web manage …`` is Django's management command.
"""
