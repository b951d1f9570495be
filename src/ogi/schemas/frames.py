"""Reports as pandas frames: the long table (submission × table × row × column) identities run on."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ogi.model import Report

if TYPE_CHECKING:
    import pandas as pd

CELL_COLUMNS = ["source", "agency", "year", "format_version", "table", "row", "column", "value", "kind", "raw"]


def cells_frame(reports: Sequence[Report]) -> pd.DataFrame:
    import pandas as pd

    rows = []
    for report in reports:
        for key, table in report.tables.items():
            for (row, col), cell in table.cells.items():
                number = cell.number
                rows.append((report.source, report.agency, report.year, report.format_version, key, row, col,
                             float(number) if number is not None else None, cell.kind.value, cell.raw))
    frame = pd.DataFrame(rows, columns=CELL_COLUMNS)
    frame["value"] = frame["value"].astype("float64")
    return frame
