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
    "summary",
    "products",
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
        "summary": summary_frame(ev, sample),
        "products": products_frame(ev, sample),
        "capex": e.capex.frame(sample),
        "equipment": e.capex.equipment_frame(sample),
        "opex": e.opex.frame(sample),
        "cost_breakdown": cost_breakdown_frame(e, sample),
        "cashflow": e.cash.frame(sample),
        "capacity": ev.capacity.frame(sample),
        "energy": ev.energy.frame(sample),
        "streams": ev.flowsheet.stream_table(sample),
    }


def _one(x, sample: int | None):
    """One sample of a scalar or batch value as a Python number (NaN where there is none)."""
    a = np.asarray(x, dtype=float).reshape(-1)
    return float(a[sample or 0]) if a.size else float("nan")


def summary_frame(ev, sample: int | None = None):
    """The figures a reader looks for first (pandas): item, value, unit."""
    import pandas as pd

    c = ev.capacity
    e, m = ev.economics, ev.economics.cash.metrics
    year = c.target_year
    rows = [
        ("scenario", ev.params.scenario.name, ""),
        ("target", f"{_one(c.target_share, sample):.4g} of {c.target_basis} demand in {year}", ""),
        ("target met", bool(np.asarray(c.at(c.met)).reshape(-1)[sample or 0]), ""),
        ("on-spec output in the target year", _one(c.at(c.on_spec), sample), "t/yr REO"),
        ("demand the target counts", _one(c.at(c.demand), sample), "t/yr REO"),
        ("coverage of demand", _one(c.at(c.coverage), sample), "-"),
        ("nameplate, on-spec product", _one(c.nameplate_on_spec, sample), "t/yr REO"),
        ("total capital investment", _one(e.capex.total, sample), "USD"),
        ("operating cost at full output", _one(e.opex.total, sample), "USD/yr"),
        ("revenue at full output", _one(e.revenue_total, sample), "USD/yr"),
        ("NPV", _one(m.npv, sample), "USD"),
        ("IRR", _one(m.irr, sample), "-"),
        ("levelised cost", _one(m.levelised_cost, sample), "USD/kg REO"),
        ("minimum selling price", _one(m.min_selling_price, sample), "USD/kg REO"),
        ("staff", _one(e.opex.staffing.total, sample), "people"),
    ]
    return pd.DataFrame(rows, columns=["item", "value", "unit"])


def products_frame(ev, sample: int | None = None):
    """The products (pandas): t/yr, purity, purity spec, on spec, price [USD/kg]."""
    import pandas as pd

    from plant.costing.revenue import on_spec, purity_spec

    fs, econ = ev.flowsheet, ev.params.economics
    rows = []
    for prod in fs.products:
        spec = purity_spec(prod, econ)
        rows.append(
            {
                "product": prod.name,
                "t_per_yr": _one(fs.product_t_per_yr(prod), sample),
                "purity": _one(fs.purity(prod), sample),
                "purity_spec": None if spec is None else _one(spec, sample),
                "on_spec": bool(np.asarray(on_spec(fs, prod, econ)).reshape(-1)[sample or 0]),
                "price_usd_per_kg": _one(ev.economics.prices[prod.name], sample),
            }
        )
    return pd.DataFrame(rows)


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
