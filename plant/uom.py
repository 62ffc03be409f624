"""The one pint unit registry of the project, with the currencies USD and TWD.

Inside the model every number is a plain SI float (kg, mol, s, K, Pa, J, m)
plus USD. Pint is used only at the edges: to parse quantity strings from
params files and to convert results to the units people read.

USD and TWD are separate base dimensions: there is no hard-coded exchange
rate. :func:`to_usd` converts a quantity containing TWD with the rate from
params (``economics.exchange_rate``).
"""

from __future__ import annotations

import functools
import re

import numpy as np
import pint


def _registry() -> pint.UnitRegistry:
    """pint's registry, its parsed definitions cached in the user's cache folder (pint's own
    cache: a fifth of a second less on every start of the model); without that cache where the
    folder cannot be written."""
    try:
        return pint.UnitRegistry(autoconvert_offset_to_baseunit=True, cache_folder=":auto:")
    except Exception:  # noqa: BLE001 - a read-only or missing cache folder: parse afresh
        return pint.UnitRegistry(autoconvert_offset_to_baseunit=True)


ureg = _registry()
ureg.define("USD = [currency] = usd")
ureg.define("TWD = [currency_twd] = NTD = twd")
ureg.define("MUSD = 1e6 USD")
ureg.define("kUSD = 1e3 USD")
ureg.define("MMBtu = 1e6 * Btu")
Q_ = ureg.Quantity

SECONDS_PER_YEAR: float = ureg.Quantity(1, "year").to("s").magnitude
"""Seconds in a Julian year [s] (365.25 d), pint's ``year``."""


def to_usd(q: pint.Quantity, twd_per_usd: float) -> pint.Quantity:
    """Replace every TWD in ``q`` by USD at ``twd_per_usd`` [TWD/USD]."""
    k = q.dimensionality.get("[currency_twd]", 0)
    if k == 0:
        return q
    return q * (ureg.USD / (twd_per_usd * ureg.TWD)) ** k


def usd_to_twd(usd, twd_per_usd: float) -> np.ndarray:
    """An amount in USD (any array) -> TWD at ``twd_per_usd`` [TWD/USD], through pint."""
    q = Q_(np.asarray(usd, dtype=float), "USD") * Q_(twd_per_usd, "TWD/USD")
    return np.asarray(q.to("TWD").magnitude)


@functools.cache
def dimensionality(unit: str) -> pint.util.UnitsContainer:
    """Dimensionality of a unit string (cached; parsing is slow)."""
    return ureg.parse_units(unit).dimensionality


@functools.lru_cache(maxsize=1024)
def unit_of(text: str) -> pint.Unit:
    """The pint unit a unit string names (cached: a params file writes a few dozen units many
    times, and parsing is slow). Raises pint's errors for a unit it does not know."""
    return ureg.Unit(text)


@functools.cache
def describe_dimension(unit: str) -> str:
    """Human words for what a unit measures, for error messages."""
    names = {
        "K": "a temperature",
        "s": "a time",
        "kg/s": "a mass flow",
        "kg": "a mass",
        "m^3": "a volume",
        "m^3/kg": "a liquid-to-solid ratio (volume per mass)",
        "kg/m^3": "a density",
        "J/kg": "a specific energy",
        "mol/m^3": "a concentration",
        "Pa": "a pressure",
        "W": "a power",
        "USD/kg": "a price per mass",
        "kg/m^2/s": "a mass flux",
        "m": "a length",
        "": "a dimensionless number",
    }
    return names.get(unit, f"a quantity convertible to {unit}")


# --------------------------------------------------------------------------- quantity text

_NUMBER = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,3})?"
_TERM = r"(?:[A-Za-z_%\u00b0\u00b5][A-Za-z0-9_]*|1)(?:(?:\^|\*\*)-?\d{1,2})?"
_UNIT = rf"{_TERM}(?:\s*[/*\u00b7]\s*{_TERM}|\s+{_TERM})*"
QUANTITY_TEXT = re.compile(rf"^\s*({_NUMBER})(?:\s*({_UNIT}))?\s*$")
"""A quantity as text: one decimal number, then optionally a unit made of unit names (with small
whole exponents) joined by '/', '*' or spaces. Nothing else: no arithmetic, no exponent towers."""
MAX_QUANTITY_TEXT = 100
"""Longest quantity text read [characters]."""


def parse_text(text: str) -> pint.Quantity:
    """A quantity written as text ('3 t/yr', '90 degC', '0.5') as a pint Quantity.

    Only a decimal number and a unit are read: arithmetic ('2 ** 3'), a decimal comma ('1,5 h') or
    a unit pint does not know is a ValueError saying what was wrong.
    """
    if len(text) > MAX_QUANTITY_TEXT:
        raise ValueError(f"it is longer than {MAX_QUANTITY_TEXT} characters")
    m = QUANTITY_TEXT.match(text)
    if m is None:
        if re.match(r"^\s*[+-]?\d+,\d", text):
            raise ValueError(
                "it has a comma in its number: write a decimal point ('1.5 h'), and no thousands "
                "separators ('1500 t/yr')"
            )
        raise ValueError(
            "it is not a number followed by a unit (such as '90 degC' or '3000 t/yr'); arithmetic "
            "is not read"
        )
    number, unit = m.group(1), (m.group(2) or "").replace("\u00b7", "*")
    try:
        return Q_(float(number), unit_of(unit)) if unit else Q_(float(number))
    except (pint.errors.PintError, ValueError, TypeError, AttributeError) as exc:
        raise ValueError(f"its unit {unit!r} is not one pint knows ({exc})") from None
