"""Command line: ``plant run [PARAMS ...] [--set k=v ...] [--json] [--out DIR]``.

PARAMS are overlay files applied over ``params/base.toml``. Errors in the
input exit with status 2 and a one-paragraph message, never a traceback
(set PLANT_DEBUG=1 to see one for an internal error).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from plant.errors import PlantError


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="plant", description="Rare-earth recycling plant model")
    sub = ap.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="evaluate the plant and print a summary")
    run.add_argument("params", nargs="*", help="parameter files overlaid on params/base.toml")
    run.add_argument("--set", dest="overrides", action="append", default=[], metavar="SECTION.KEY=VALUE",
                     help="override one parameter, e.g. --set leaching.temperature='90 degC' (repeatable)")
    run.add_argument("--json", action="store_true", help="print the result as one JSON object")
    run.add_argument("--out", type=Path, metavar="DIR",
                     help="write the CAPEX, equipment, OPEX, cash-flow and stream tables (CSV and one Excel "
                          "workbook) and the summary (JSON) to DIR")
    return ap


def cmd_run(args) -> int:
    from plant import export, model, report

    params = model.load_params(*args.params, overrides=args.overrides)
    ev = model.evaluate(params)
    routes = model.compare_routes(params, ev)
    data = report.summary(ev, routes)
    written = export.write_outputs(args.out, ev, data) if args.out else []
    if args.json:
        print(json.dumps(data, indent=2))
    else:
        print(report.text(ev, routes))
        if written:
            print(f"\nWrote {', '.join(p.name for p in written)} to {args.out}")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return {"run": cmd_run}[args.command](args)
    except PlantError as exc:
        print(f"plant: error: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # an internal error: say so plainly, traceback on request
        if os.environ.get("PLANT_DEBUG"):
            raise
        print(f"plant: internal error: {type(exc).__name__}: {exc}\n(set PLANT_DEBUG=1 to see the traceback)",
              file=sys.stderr)
        return 3


if __name__ == "__main__":
    sys.exit(main())
