"""Tables of an evaluation for spreadsheets: CSV files and one Excel workbook (openpyxl).

Money in USD of the analysis year, flows in kg/h, as the column names say.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

from plant.errors import PlantError

SHEETS = ("capex", "equipment", "opex", "cashflow", "capacity", "energy", "streams")
INDEXED = ("cashflow", "capacity", "streams")
"""Tables whose index (year, stream) is written as their first column."""


def tables(ev, sample: int | None = None) -> dict:
    """Name -> pandas table: capex build-up, equipment list, opex lines, yearly cash flow, capacity
    by year, energy, stream table."""
    e = ev.economics
    return {
        "capex": e.capex.frame(sample),
        "equipment": e.capex.equipment_frame(sample),
        "opex": e.opex.frame(sample),
        "cashflow": e.cash.frame(sample),
        "capacity": ev.capacity.frame(sample),
        "energy": ev.energy.frame(sample),
        "streams": ev.flowsheet.stream_table(sample),
    }


def excel_workbook(ev, sample: int | None = None) -> bytes:
    """One .xlsx workbook with a sheet per table."""
    return workbook(tables(ev, sample))


def workbook(frames: dict) -> bytes:
    """One .xlsx workbook with a sheet per table of ``frames`` (name -> pandas table, as
    :func:`tables`)."""
    import pandas as pd

    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, df in frames.items():
            df.to_excel(writer, sheet_name=name, index=name in INDEXED)
    return buffer.getvalue()


def write_outputs(directory: Path, ev, data: dict) -> list[Path]:
    """Write every table as CSV, the workbook ``plant.xlsx`` and ``summary.json`` into
    ``directory``."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
        written = []
        for name, df in tables(ev).items():
            path = directory / f"{name}.csv"
            df.to_csv(path, index=name in INDEXED)
            written.append(path)
        (directory / "plant.xlsx").write_bytes(excel_workbook(ev))
        (directory / "summary.json").write_text(json.dumps(data, indent=2))
        return written + [directory / "plant.xlsx", directory / "summary.json"]
    except OSError as exc:
        raise PlantError(f"--out {directory}: cannot write there ({exc.strerror})") from None
