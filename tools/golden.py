"""Regenerate the golden results of the bundled scenarios: ``python tools/golden.py``
(or ``make golden``).

Writes ``tests/golden/<scenario>.json``: the JSON summary of ``plant run --json`` for
``params/base.toml`` and each ``params/scenarios/*.toml`` overlay. ``tests/test_golden.py`` compares
the model with these files, so a change to any headline result shows in the diff of this folder.
Run it only when a change of results is intended, and say why in the commit.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLDEN_DIR = ROOT / "tests" / "golden"


def scenarios() -> dict[str, list[Path]]:
    """Scenario name -> overlay files (none for the base case)."""
    out: dict[str, list[Path]] = {"base": []}
    for path in sorted((ROOT / "params" / "scenarios").glob("*.toml")):
        out[path.stem] = [path]
    return out


def summary(overlays: list[Path]) -> dict:
    """The ``plant run --json`` dictionary of the base parameters with ``overlays``."""
    from plant import model, report

    params = model.load_params(*overlays)
    ev = model.evaluate(params)
    return report.summary(ev, model.compare_routes(params, ev))


def main() -> int:
    sys.path.insert(0, str(ROOT))
    GOLDEN_DIR.mkdir(parents=True, exist_ok=True)
    for name, overlays in scenarios().items():
        path = GOLDEN_DIR / f"{name}.json"
        path.write_text(json.dumps(summary(overlays), indent=1, sort_keys=True) + "\n")
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
