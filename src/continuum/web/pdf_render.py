"""Render one PDF in a process of its own: HTML on standard input, the PDF on standard output.

``continuum.web.pdf`` runs this module with a wall-clock timeout, so that a slow or huge
document ends this process and never the web worker; the address-space limit set here keeps
its memory bounded too. It imports WeasyPrint only (not Django), to start fast.

Exit status: 0 with the PDF written; ``TOO_MANY_PAGES`` with the page count on standard error
when the document is longer than allowed; anything else is a failure.
"""

from __future__ import annotations

import argparse
import resource
import sys

TOO_MANY_PAGES = 3


def main() -> int:
    """Read HTML, render it, refuse it past the page limit, write the PDF."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--max-pages", type=int, required=True)
    parser.add_argument("--max-memory-mb", type=int, required=True)
    arguments = parser.parse_args()
    limit = arguments.max_memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    import weasyprint

    html = sys.stdin.buffer.read().decode("utf-8")
    document = weasyprint.HTML(string=html).render()
    if len(document.pages) > arguments.max_pages:
        sys.stderr.write(f"{len(document.pages)}\n")
        return TOO_MANY_PAGES
    sys.stdout.buffer.write(document.write_pdf())
    return 0


if __name__ == "__main__":
    sys.exit(main())
