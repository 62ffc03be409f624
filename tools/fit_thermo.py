"""Fit Shomate polynomials for params/thermo/species.yaml from tabulated data.

Maintenance tool, not part of the model: ``pip install janaf`` (the NIST-JANAF Thermochemical
Tables, 4th ed., Chase 1998, as text tables), then
``python tools/fit_thermo.py TABLE T_MAX [T_MAX ...]`` prints the ``thermo-phases`` items of one
JANAF table, one Shomate range per phase (split at the table's transitions, capped at the last
T_MAX).

Method: Cp = A + B t + C t^2 + D t^3 + E / t^2 (t = T/1000) fitted by least squares to the table's
Cp; F and G set so that H and S match the table (mean offset over the range's points), so H(298.15)
is the table's formation enthalpy.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np


def read_janaf(table: str) -> list[np.ndarray]:
    """Rows (T, Cp, S, H - H298 [kJ/mol]) of a JANAF table, one array per phase, and
    dfH(298.15) [kJ/mol]."""
    import janaf

    path = Path(janaf.__file__).parent / "data" / f"{table}.txt"
    phases, rows, dfh = [], [], None
    for line in path.read_text().splitlines()[2:]:
        cells = line.split("\t")
        try:
            T, cp, s, _, dh = (float(c) for c in cells[:5])
        except ValueError:
            continue
        if T < 298.15:
            continue
        if T == 298.15 and len(cells) > 5:
            dfh = float(cells[5])
        if len(cells) > 5 and ("<-->" in cells[5] or "TRANSITION" in cells[5]):
            if "<-->" in cells[5]:
                rows.append((T, cp, s, dh))
                phases.append(np.array(rows))
                rows = []
            else:
                rows.append((T, cp, s, dh))
            continue
        rows.append((T, cp, s, dh))
    phases.append(np.array(rows))
    return phases, dfh


def fit_shomate(rows: np.ndarray, dfh: float) -> list[float]:
    T, cp, s, dh = rows.T
    t = T / 1000.0
    X = np.stack([np.ones_like(t), t, t**2, t**3, 1.0 / t**2], axis=1)
    A, B, C, D, E = np.linalg.lstsq(X, cp, rcond=None)[0]
    h_poly = A * t + B * t**2 / 2 + C * t**3 / 3 + D * t**4 / 4 - E / t
    s_poly = A * np.log(t) + B * t + C * t**2 / 2 + D * t**3 / 3 - E / (2 * t**2)
    F = float(np.mean(dh + dfh - h_poly))
    G = float(np.mean(s - s_poly))
    return [float(A), float(B), float(C), float(D), float(E), F, G]


def main(table: str, *t_max: str) -> None:
    phases, dfh = read_janaf(table)
    for rows, cap in zip(phases, [float(x) for x in t_max]):
        rows = rows[rows[:, 0] <= cap]
        coeffs = fit_shomate(rows, dfh)
        lo, hi = rows[0, 0], rows[-1, 0]
        data = ", ".join(f"{c:.8g}" for c in coeffs)
        print(
            f"  - {{model: Shomate, temperature-ranges: [{lo:g}, {hi:g}], data: [[{data}]],"
            f" note: 'JANAF 4th ed. table {table}, fitted by tools/fit_thermo.py'}}"
        )


if __name__ == "__main__":
    main(*sys.argv[1:])
