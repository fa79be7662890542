"""Memory of refusing damaged workbooks, and of reading an accepted one.

Each case runs in a fresh subprocess so that its peak memory (resident set, which counts the Rust
parser's allocations, and Python's own peak by tracemalloc) is its own:

* huge-declared: a 5 KB .xlsx declaring A1:XFD1048576, refused by the check;
* far-cells: a 5 KB .xlsx with cells at A1 and XFD1048576, refused by the check;
* zip-bomb: a 256 MB part compressed to a few hundred KB, refused by the check;
* accepted: a Dashboard workbook of ROWS rows × 22 columns, checked and read.

Prints Markdown; the accepted case's memory per million cells bounds what CONTINUUM_XLSX_MAX_CELLS
allows (docs/web/input-files.md). Never asserts.

    uv run python bench/damaged_files.py [--rows 50000]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

HEADER_LINE = (
    "cds\trtype\tschoolname\tdistrictname\tcountyname\tcharter_flag\tcoe_flag\tdass_flag\t"
    "studentgroup\tcurrnumer\tcurrdenom\tcurrstatus\tpriornumer\tpriordenom\tpriorstatus\t"
    "change\tstatuslevel\tchangelevel\tcolor\tbox\tindicator\treportingyear"
)
HEADER = HEADER_LINE.split("\t")


def _row(number: int) -> list[object]:
    return [f"{number:014d}", "S", f"School {number}", "District", "County", None, None, None,
            "ALL", 120, 1000, 12.0, 150, 1000, 15.0, -3.0, 2, 5, 3, 200, "CHRO", 2025]  # fmt: skip


def make(case: str, folder: Path, rows: int) -> Path:
    """Write the case's workbook into ``folder``."""
    import openpyxl
    from tests.workbooks import with_bomb, with_dimension, with_far_cell, workbook_write

    small = workbook_write(folder / "small.xlsx", [HEADER, _row(1)])
    target = folder / "chronicdownload2025.xlsx"
    if case == "huge-declared":
        return with_dimension(small, target, "A1:XFD1048576")
    if case == "far-cells":
        return with_far_cell(small, target)
    if case == "zip-bomb":
        return with_bomb(small, target, megabytes=256)
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(HEADER)
    for number in range(rows):
        sheet.append(_row(number))
    workbook.save(target)
    return target


def measure(path: Path) -> dict[str, object]:
    """Read ``path`` as the Dashboard import does; the outcome and peak memory."""
    from continuum.dashboard.files import read_dashboard_file
    from continuum.errors import InputError

    tracemalloc.start()
    start = time.perf_counter()
    try:
        outcome = f"read {read_dashboard_file(path).frame.height:,} rows"
    except InputError as error:
        outcome = f"refused: {error.message[:70]}"
    seconds = time.perf_counter() - start
    _, python_peak = tracemalloc.get_traced_memory()
    return {
        "outcome": outcome,
        "seconds": round(seconds, 2),
        "python_peak_mb": round(python_peak / 2**20, 1),
        "rss_peak_mb": round(_peak_resident_kb() / 1024, 1),
        "size_kb": round(path.stat().st_size / 1024, 1),
    }


def _peak_resident_kb() -> int:
    """This process's peak resident set (VmHWM: unlike ru_maxrss, not inherited from the
    parent that generated the files)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def main() -> None:
    """Run every case in its own process and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000, help="rows of the accepted workbook")
    parser.add_argument("--case", help=argparse.SUPPRESS)
    parser.add_argument("--path", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.case:
        print(json.dumps(measure(Path(arguments.path))))
        return
    print("| case | file | outcome | seconds | peak RSS | Python peak |")
    print("|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as directory:
        for case in ("huge-declared", "far-cells", "zip-bomb", "accepted"):
            folder = Path(directory) / case
            folder.mkdir()
            path = make(case, folder, arguments.rows)
            command = [sys.executable, __file__, "--case", case, "--path", str(path)]
            result = json.loads(subprocess.run(command, capture_output=True, check=True).stdout)
            print(
                f"| {case} | {result['size_kb']:,} KB | {result['outcome']} | "
                f"{result['seconds']} | {result['rss_peak_mb']} MB | "
                f"{result['python_peak_mb']} MB |"
            )
    print(f"\naccepted: {arguments.rows:,} rows × {len(HEADER)} columns")


if __name__ == "__main__":
    main()
