"""The bundled scenarios against their golden results (``tests/golden/*.json``).

Every number of the stored ``plant run --json`` summary must be reproduced to ``RTOL`` (relative),
so that a change of any result is seen; regenerate the files on purpose with ``make golden``
(``tools/golden.py``) and say why in the commit. Keys the model adds are free; a key the golden file
has and the model lost fails (the JSON keys are a public interface). Element imbalances are rounding
noise (~1e-16) and are held to their own bound instead.
"""

import json
import math
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import golden  # noqa: E402

RTOL = 1e-9
"""Relative tolerance on every number [-]."""
ATOL = 1e-9
"""Absolute tolerance for numbers that are zero in the golden file (in their own unit)."""
HEADLINE = (
    "capacity.reo_t_per_yr",
    "capacity.coverage_of_demand",
    "capacity.target_met",
    "economics.capex_usd",
    "economics.opex_usd_per_yr",
    "economics.revenue_usd_per_yr",
    "economics.npv_usd",
    "economics.irr",
    "economics.cost_usd_per_kg_reo",
    "energy.electricity_kwh_per_yr",
    "energy.co2_t_per_yr",
)
"""Headline outputs every golden file must hold."""


def leaves(node, prefix=""):
    """(dotted key, value) of every leaf of a JSON tree (list items as key[i])."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield from leaves(v, f"{prefix}{k}.")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from leaves(v, f"{prefix.rstrip('.')}[{i}].")
    else:
        yield prefix.rstrip("."), node


def differences(golden_tree, actual_tree) -> list[str]:
    """Leaves of ``golden_tree`` that ``actual_tree`` lacks or does not reproduce."""
    actual = dict(leaves(actual_tree))
    out = []
    for key, want in leaves(golden_tree):
        if key.startswith("mass_balance.") or ".mass_balance." in key:
            continue
        if key not in actual:
            out.append(f"{key}: missing (golden {want!r})")
            continue
        got = actual[key]
        if isinstance(want, float) and isinstance(got, (int, float)) and not isinstance(got, bool):
            if not math.isclose(got, want, rel_tol=RTOL, abs_tol=ATOL if want == 0 else 0.0):
                out.append(
                    f"{key}: {got!r} != golden {want!r} "
                    f"(relative {abs(got - want) / abs(want or 1):.2e})"
                )
        elif got != want:
            out.append(f"{key}: {got!r} != golden {want!r}")
    return out


@pytest.mark.parametrize("name", sorted(golden.scenarios()))
def test_scenario_reproduces_its_golden_results(name):
    path = golden.GOLDEN_DIR / f"{name}.json"
    assert path.exists(), f"no golden file {path}; create it with 'make golden'"
    stored = json.loads(path.read_text())
    for key in HEADLINE:
        assert key in dict(leaves(stored)), f"golden file {path.name} lacks headline {key}"
    actual = json.loads(json.dumps(golden.summary(golden.scenarios()[name])))
    bad = differences(stored, actual)
    assert not bad, f"{len(bad)} results differ from {path.name}:\n" + "\n".join(bad[:40])
    assert actual["mass_balance"]["max_relative_element_imbalance"] < 1e-9


def test_golden_comparison_sees_a_change():
    """The comparison itself: a moved number, a lost key and a changed flag are all reported."""
    stored = {"a": 1.0, "b": {"c": 2.0, "d": True}, "e": [0.0, 3.0]}
    assert differences(stored, stored) == []
    moved = {"a": 1.0 + 1e-6, "b": {"d": False}, "e": [1e-6, 3.0]}
    bad = differences(stored, moved)
    assert len(bad) == 4 and any("b.c: missing" in b for b in bad)


@pytest.mark.parametrize("name", sorted(golden.scenarios()))
def test_scenario_is_on_spec_or_says_why_not(name):
    """Every bundled scenario's products are on spec, or the scenario says which it leaves off
    spec and why (``scenario.off_spec``, naming each such product); a statement with every product
    on spec is stale and fails too."""
    from plant import model, report

    params = model.load_params(*golden.scenarios()[name])
    s = report.summary(model.evaluate(params))
    off = [n for n, p in s["products"].items() if not p["on_spec"]]
    statement = s["off_spec_statement"]
    if off:
        assert statement, f"{name}: {off} off spec, and the scenario does not say why"
        missing = [n for n in off if n.removesuffix("_oxide") not in statement]
        assert not missing, f"{name}: the statement does not name {missing}"
    else:
        assert statement is None, f"{name}: every product is on spec, but it says {statement!r}"
