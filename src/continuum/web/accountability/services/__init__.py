"""Writes to the stored Dashboard results: imports of CDE files and the determinations that
follow from them, one module per idea.

An import reads every file with the Dashboard engine first; a bad file changes nothing. The
worker then saves a preview of what the import would change (``versions.plan_make``); once
confirmed, one transaction makes the plan again, refuses if it differs from the preview, writes
it, keeps what it replaced as a version, recomputes DA, Level 3 and ESSA for every stored year
and records the audit event. A restore puts a version back (``docs/web/imports.md``).

* ``commit``: what files would change (the preview) and writing them (the commit).
* ``queue``: an uploaded import's way through the worker: kept, previewed, confirmed or
  discarded, committed.
* ``restore``: putting back the stored results as they were before an import.
* ``determinations``: DA, Level 3 and ESSA recomputed from the stored results.
* ``title_i``: which schools are Title I-funded (for ESSA).
"""
