"""Command line: ``plant run [PARAMS ...] [--set k=v ...] [--json] [--out DIR]``, and the analyses
``plant mc``, ``plant sensitivity``, ``plant optimize`` and ``plant design``
(``plant COMMAND --help``).

PARAMS are overlay files applied over ``params/base.toml``. Errors in the
input exit with status 2 and a one-paragraph message, never a traceback
(set PLANT_DEBUG=1 to see one for an internal error).
"""

from __future__ import annotations

import argparse
import os
import sys

from plant.errors import ParamError, PlantError
from plant.jsonout import dumps
from plant.units.solvent_extraction.parameters import CIRCUITS


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="plant", description="Rare-earth recycling plant model")
    sub = ap.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="evaluate the plant and print a summary")
    run.add_argument("params", nargs="*", help="parameter files overlaid on params/base.toml")
    run.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="SECTION.KEY=VALUE",
        help="override one parameter, e.g. --set leaching.temperature='90 degC' (repeatable)",
    )
    run.add_argument("--json", action="store_true", help="print the result as one JSON object")
    run.add_argument(
        "--out",
        metavar="DIR",
        help="write the CAPEX, equipment, OPEX, cash-flow and stream tables (CSV and one Excel "
        "workbook) and the summary (JSON) to DIR (new, or without earlier results)",
    )
    run.add_argument(
        "--force", action="store_true", help="with --out, replace results DIR holds already"
    )
    mc = sub.add_parser("mc", help="Monte Carlo of the [uncertainty] distributions")
    _common(mc)
    mc.add_argument(
        "--samples", type=int, default=10_000, help="number of samples (default 10,000)"
    )
    mc.add_argument(
        "--input",
        dest="inputs",
        action="append",
        metavar="NAME",
        help="sample only this distribution of [uncertainty] (repeatable; default all)",
    )
    _distributed(mc)
    sens = sub.add_parser(
        "sensitivity", help="tornado, Sobol and Morris sensitivity of outputs to the distributions"
    )
    _common(sens)
    sens.add_argument("--method", choices=("all", "tornado", "sobol", "morris"), default="all")
    sens.add_argument(
        "--output",
        dest="outputs",
        action="append",
        metavar="KEY",
        help="output to analyse (repeatable; default npv_usd and cost_usd_per_kg_reo)",
    )
    sens.add_argument(
        "--samples",
        type=int,
        default=1024,
        help="Sobol base samples N, a power of 2 (default 1,024)",
    )
    sens.add_argument(
        "--trajectories", type=int, default=50, help="Morris trajectories (default 50)"
    )
    sens.add_argument(
        "--input",
        dest="inputs",
        action="append",
        metavar="NAME",
        help="analyse only this distribution",
    )
    sens.add_argument(
        "--range",
        dest="ranges",
        action="append",
        default=[],
        metavar="NAME=LOW:HIGH",
        help="tornado range of one distribution, in its terms (its unit, or factors if relative)",
    )
    _distributed(sens)
    des = sub.add_parser(
        "design", help="design the SX circuits for the plant's feed (stages, flows, control)"
    )
    _files(des)
    des.add_argument(
        "--circuit",
        dest="circuits",
        action="append",
        choices=CIRCUITS,
        help="design only this circuit (repeatable; default all that run)",
    )
    des.add_argument("--json", action="store_true", help="print the result as one JSON object")
    pl = sub.add_parser(
        "plan", help="what it takes to cover a share of demand by a year: the plan, or why not"
    )
    _files(pl)
    pl.add_argument("--share", type=float, help="share of demand to cover (default: the files')")
    pl.add_argument("--year", type=int, help="the year to cover it by (default: the files')")
    pl.add_argument(
        "--basis",
        choices=("REO", "magnet", "elements"),
        help="what the target counts (default: the files')",
    )
    pl.add_argument(
        "--objective",
        choices=("cost", "npv"),
        default="cost",
        help="the lowest cost per kg REO (default) or the highest NPV",
    )
    pl.add_argument(
        "--budget",
        type=float,
        metavar="USD",
        help="the most CAPEX a plan may take, in USD (default: no limit)",
    )
    pl.add_argument("--json", action="store_true", help="print the answer as one JSON object")
    pl.add_argument(
        "--write", metavar="FILE", help="save the plan as a params overlay that `plant run` meets"
    )
    opt = sub.add_parser(
        "optimize", help="choose design variables for the lowest cost or highest NPV"
    )
    _common(opt)
    opt.add_argument(
        "--objective",
        choices=("cost", "npv"),
        default="cost",
        help="minimise the levelised cost per kg REO (default) or maximise the NPV",
    )
    opt.add_argument(
        "--var",
        dest="variables",
        action="append",
        default=[],
        metavar="KEY=LOW:HIGH",
        help="a decision variable and its bounds, e.g. --var concentrate.flow='0 t/yr:5000 t/yr' "
        "(repeatable; replaces the default set)",
    )
    opt.add_argument(
        "--no-target", action="store_true", help="drop the constraint of meeting the demand target"
    )
    return ap


def _files(p) -> None:
    """The parameter files and ``--set`` overrides every analysis reads."""
    p.add_argument("params", nargs="*", help="parameter files overlaid on params/base.toml")
    p.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="SECTION.KEY=VALUE",
        help="override one parameter (repeatable)",
    )


def _common(p) -> None:
    _files(p)
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument("--json", action="store_true", help="print the result as one JSON object")


def _distributed(p) -> None:
    p.add_argument(
        "--sx",
        choices=("surrogate", "pH"),
        default="surrogate",
        help="SX model per sample: the constant-D stand-in calibrated at the files' design "
        "(default, fast) or the full pH model",
    )
    p.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="run on this Dask scheduler, e.g. tcp://10.0.0.5:8786",
    )


def cmd_mc(args) -> int:
    from plant import model
    from plant.analysis import montecarlo, text

    params = model.load_params(*args.params, overrides=args.overrides)
    s = montecarlo.run(
        params, args.samples, args.seed, names=args.inputs, sx=args.sx, scheduler=args.scheduler
    ).summary()
    print(dumps(s) if args.json else text.monte_carlo(s))
    return 0


def cmd_sensitivity(args) -> int:
    from plant import model
    from plant.analysis import batch, montecarlo, sensitivity, text

    params = model.load_params(*args.params, overrides=args.overrides)
    inputs = montecarlo.inputs_of(params, args.inputs)
    outputs = args.outputs or ["npv_usd", "cost_usd_per_kg_reo"]
    for key in outputs:
        if key not in batch.OUTPUTS:
            raise PlantError(f"--output: expected one of {', '.join(batch.OUTPUTS)}; given {key!r}")
    ranges = {}
    by_name = {i.name: i for i in inputs}
    for item in args.ranges:
        from plant.analysis.optimize import parse_range

        name, low, high = parse_range(item, "--range")
        if name not in by_name:
            montecarlo.inputs_of(params, [name], "--range")  # raises, naming those there are
        ranges[name] = tuple(_range_end(end, by_name[name], params, item) for end in (low, high))
    batch.check_seed(args.seed)
    m = batch.plant_model(params, args.sx, inputs=inputs)
    out: dict = {"scenario": params.scenario.name, "seed": args.seed}
    lines, failed = [], []
    if args.method in ("all", "tornado"):
        out["tornado"] = {}
        for key in outputs:
            df = sensitivity.tornado(m, inputs, key, ranges=ranges, scheduler=args.scheduler)
            out["tornado"][key] = df.to_dict(orient="records")
            failed.append(df.attrs["failed"])
            lines.append(text.tornado(df, key))
    if args.method in ("all", "sobol"):
        runs = args.samples * (len(inputs) + 2)
        try:
            frames = sensitivity.sobol(
                m, inputs, args.samples, args.seed, outputs, scheduler=args.scheduler
            )
        except PlantError as exc:  # some samples failed: no indices, and why
            out["sobol"], out["sobol_reason"] = None, str(exc)
            lines.append(f"Sobol indices: not reported. {exc}")
        else:
            out["sobol"] = {
                k: df.reset_index().to_dict(orient="records") for k, df in frames.items()
            }
            title = f"Sobol indices (N = {args.samples:,}, {runs:,} runs)"
            lines.append(text.indices(title, frames))
        out["sobol_samples"] = runs
    if args.method in ("all", "morris"):
        try:
            frames = sensitivity.morris(
                m, inputs, args.trajectories, args.seed, outputs, scheduler=args.scheduler
            )
        except ParamError:
            raise
        except PlantError as exc:
            out["morris"], out["morris_reason"] = None, str(exc)
            lines.append(f"Morris screening: not reported. {exc}")
        else:
            out["morris"] = {
                k: df.reset_index().to_dict(orient="records") for k, df in frames.items()
            }
            failed.append(next(iter(frames.values())).attrs["failed"])
            title = f"Morris elementary effects ({args.trajectories} trajectories)"
            lines.append(text.indices(title, frames))
    out["failed"] = _combined(failed)
    print(dumps(out) if args.json else "\n\n".join(lines))
    return 0


def _combined(summaries: list[dict]) -> dict:
    """One failures summary of several runs' (plant.isolation.Failures.summary)."""
    count = sum(s["count"] for s in summaries)
    total = sum(s["count"] / s["share"] for s in summaries if s["share"]) if count else 0
    reasons: dict[str, int] = {}
    for s in summaries:
        for reason, k in s["reasons"].items():
            reasons[reason] = reasons.get(reason, 0) + k
    return {"count": count, "share": count / total if total else 0.0, "reasons": reasons}


def _range_end(text: str, inp, params, item: str) -> float:
    """One end of a tornado ``--range`` in the terms of distribution ``inp``: a factor if it is
    relative, else a quantity in its parameters' unit (TWD at the files' exchange rate) [SI]."""
    from plant.model import spec_of
    from plant.params import parse_quantity

    unit = "" if inp.dist.relative else spec_of(inp.dist.parameters[0]).unit
    return parse_quantity(
        text, unit, "--range", item, twd_per_usd=float(params.economics.exchange_rate)
    )


def cmd_optimize(args) -> int:
    from plant import model
    from plant.analysis import optimize, text
    from plant.analysis.batch import check_seed

    params = model.load_params(*args.params, overrides=args.overrides)
    check_seed(args.seed)
    variables = [optimize.variable(*optimize.parse_range(v)) for v in args.variables] or None
    s = optimize.optimize(
        params, args.objective, variables, target=not args.no_target, seed=args.seed
    ).summary()
    print(dumps(s) if args.json else text.optimum(s))
    return 0


def cmd_plan(args) -> int:
    from plant import model
    from plant.analysis import plan, text

    params = model.load_params(*args.params, overrides=args.overrides)
    answer = plan.plan(
        params, args.share, args.year, args.basis, args.objective, budget_usd=args.budget
    )
    s = answer.summary()
    if args.write:
        from plant.export import write_text_atomically

        write_text_atomically(args.write, answer.overlay())
    print(dumps(s) if args.json else text.plan(s))
    return 0


def cmd_design(args) -> int:
    from plant import model
    from plant.analysis import circuit_design

    params = model.load_params(*args.params, overrides=args.overrides)
    records = circuit_design.design_plant(params, args.circuits)
    print(dumps(records) if args.json else circuit_design.text(records))
    return 0


def cmd_run(args) -> int:
    from plant import export, model, report

    params = model.load_params(*args.params, overrides=args.overrides)
    ev = model.evaluate(params)
    routes = model.compare_routes(params, ev)
    data = report.summary(ev, routes)
    written = export.write_outputs(args.out, ev, data, args.force) if args.out is not None else []
    if args.json:
        print(dumps(data))
    else:
        print(report.text(ev, routes))
        if written:
            print(f"\nWrote {', '.join(p.name for p in written)} to {args.out}")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return {
            "run": cmd_run,
            "mc": cmd_mc,
            "sensitivity": cmd_sensitivity,
            "optimize": cmd_optimize,
            "design": cmd_design,
            "plan": cmd_plan,
        }[args.command](args)
    except PlantError as exc:
        print(f"plant: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # the reader (``| head``) closed the pipe: stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # an internal error: say so plainly, traceback on request
        if os.environ.get("PLANT_DEBUG"):
            raise
        print(
            f"plant: internal error: {type(exc).__name__}: {exc}\n"
            "(set PLANT_DEBUG=1 to see the traceback)",
            file=sys.stderr,
        )
        return 3


if __name__ == "__main__":
    sys.exit(main())
