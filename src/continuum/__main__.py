"""``python -m continuum`` runs the command line."""

from continuum.cli import main

main()
