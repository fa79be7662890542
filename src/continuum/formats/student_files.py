"""Any student file a district holds, identified by its content: a TOMS Student Score Data File,
a CALPADS extract or a CALPADS report CSV. Anything else is refused, named for what it is when
that can be told."""

from __future__ import annotations

from pathlib import Path

from continuum.errors import UnknownLayoutError
from continuum.formats.calpads import CalpadsFile, calpads_layouts, read_calpads_extract
from continuum.formats.calpads_reports import CalpadsReport, read_calpads_report
from continuum.formats.toms import TomsFile, read_toms_file

StudentFile = TomsFile | CalpadsFile | CalpadsReport


def read_student_file(path: Path | str) -> StudentFile:
    """The file read whole by the reader its content calls for; UnknownLayoutError when it is
    neither a TOMS file nor a CALPADS extract or report."""
    path = Path(path)
    try:
        return read_toms_file(path)
    except UnknownLayoutError as toms:
        if "Dashboard download" in toms.message:
            raise
        try:
            return read_calpads_report(path)
        except UnknownLayoutError:
            pass
        try:
            return read_calpads_extract(path)
        except UnknownLayoutError:
            raise UnknownLayoutError(
                path,
                "is neither a TOMS CAASPP or ELPAC Student Score Data File nor a CALPADS extract "
                f"({', '.join(calpads_layouts())}) or report (1.23, 14.2, 15.2, 7.12, 8.1): "
                f"{toms.message.split(': ', 1)[-1]}",
                line=1,
            ) from None
