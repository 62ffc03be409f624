"""Tables of an evaluation for spreadsheets: CSV files and one Excel workbook (openpyxl).

Money in USD of the analysis year, flows in kg/h, as the column names say.
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
from pathlib import Path

import numpy as np

from plant.errors import PlantError
from plant.jsonout import dumps

SHEETS = (
    "capex",
    "equipment",
    "opex",
    "cost_breakdown",
    "cashflow",
    "capacity",
    "energy",
    "streams",
)
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
        "cost_breakdown": cost_breakdown_frame(e, sample),
        "cashflow": e.cash.frame(sample),
        "capacity": ev.capacity.frame(sample),
        "energy": ev.energy.frame(sample),
        "streams": ev.flowsheet.stream_table(sample),
    }


def cost_breakdown_frame(economics, sample: int | None = None):
    """The levelised cost by line (pandas): line, USD/kg REO, share of the levelised cost."""
    import pandas as pd

    pick = lambda x: float(np.asarray(x).reshape(-1)[sample or 0])
    by = {k: pick(v) for k, v in economics.cost_breakdown().items()}
    total = pick(economics.cash.metrics.levelised_cost)
    return pd.DataFrame(
        {
            "line": list(by),
            "usd_per_kg_reo": list(by.values()),
            "share": [v / total if total else np.nan for v in by.values()],
        }
    )


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


OUTPUT_NAMES = (*(f"{name}.csv" for name in SHEETS), "plant.xlsx", "summary.json")
"""The files ``plant run --out`` writes."""


def write_text_atomically(path, text: str) -> Path:
    """Write ``text`` to the new file ``path``: first in full beside it, then moved into place, so a
    failure leaves nothing behind; a file already there is never replaced."""
    target = Path(str(path).strip())
    if not str(path).strip():
        raise PlantError("--write: expected a file name; given ''")
    if target.exists():
        raise PlantError(f"--write {target}: a file is there already; give another name")
    try:
        fd, tmp = tempfile.mkstemp(prefix=".plant-", dir=target.parent or Path("."))
        with os.fdopen(fd, "w") as f:
            f.write(text)
        os.replace(tmp, target)
    except OSError as exc:
        raise PlantError(f"--write {target}: cannot write there ({exc.strerror})") from None
    return target


def write_outputs(directory, ev, data: dict, force: bool = False) -> list[Path]:
    """Write every table as CSV, the workbook ``plant.xlsx`` and ``summary.json`` into
    ``directory`` (made if need be). Results it holds already are replaced only with ``force``.
    Every file is first written in full beside it, then moved into place, so a failure part-way
    leaves no partial file and the folder as it was."""
    text = str(directory).strip()
    if not text:
        raise PlantError("--out: expected a folder to write the results into; given ''")
    target = Path(text)
    if target.exists() and not target.is_dir():
        raise PlantError(f"--out {target}: expected a folder; given a file that exists")
    earlier = [name for name in OUTPUT_NAMES if (target / name).exists()]
    if earlier and not force:
        raise PlantError(
            f"--out {target}: it holds earlier results ({', '.join(earlier)}); give another "
            "folder, or --force to replace them"
        )
    try:
        target.mkdir(parents=True, exist_ok=True)
        stage = Path(tempfile.mkdtemp(prefix=".plant-out-", dir=target))
    except OSError as exc:
        raise PlantError(f"--out {target}: cannot write there ({exc.strerror})") from None
    try:
        for name, df in tables(ev).items():
            df.to_csv(stage / f"{name}.csv", index=name in INDEXED)
        (stage / "plant.xlsx").write_bytes(excel_workbook(ev))
        (stage / "summary.json").write_text(dumps(data))
        for name in OUTPUT_NAMES:
            os.replace(stage / name, target / name)
    except OSError as exc:
        raise PlantError(f"--out {target}: cannot write there ({exc.strerror})") from None
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return [target / name for name in OUTPUT_NAMES]
