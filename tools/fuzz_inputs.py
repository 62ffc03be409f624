"""Try thousands of bad and good inputs against the model and count what happens to each class:
``python tools/fuzz_inputs.py [--per-class N] [--seed S]``.

Every input of a bad class should be refused with the model's clear error (a PlantError, exit 2 on
the command line); every input of a good class should run, or be refused by the model's own error.
An input that raises anything else has crashed; a bad input that runs has been silently accepted.
The table printed has one row per class: tried, refused, ran, crashed, silently accepted.
"""

from __future__ import annotations

import argparse
import random
import string
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from plant import model, tuning  # noqa: E402
from plant.errors import PlantError  # noqa: E402
from plant.params import scalar_spec, with_values  # noqa: E402

PARAMS, DOCUMENT = model.load()
TUNABLES = [t for t in tuning.tunables(model.Params, DOCUMENT) if t.kind == "quantity"]


def quantity_texts(rng: random.Random, n: int) -> list[tuple[str, str]]:
    """(key, text) pairs of malformed quantity strings for random parameters."""
    bad = [
        lambda: f"{rng.randint(1, 9)} ** {rng.randint(2, 9)}",
        lambda: f"10**10**{rng.randint(2, 9)}",
        lambda: f"{rng.randint(1, 9)},{rng.randint(0, 9)} h",
        lambda: f"{rng.choice(['1e400', '1e308', '9' * 30])} {rng.choice(['h', 'degC', 'USD/kg'])}",
        lambda: f"{rng.uniform(1, 9):.3g} {''.join(rng.choices(string.ascii_lowercase, k=6))}",
        lambda: "".join(rng.choices(string.printable, k=rng.randint(1, 40))),
        lambda: f"({rng.randint(1, 9)} + {rng.randint(1, 9)}) kg",
        lambda: f"{rng.uniform(1, 9):.2f} kg" + " " * 200,
        lambda: "nan",
        lambda: "__import__('os')",
    ]
    return [(rng.choice(TUNABLES).key, rng.choice(bad)()) for _ in range(n)]


def out_of_domain(rng: random.Random, n: int) -> list[str]:
    """--set overrides with a value outside its parameter's domain, written in its file's unit."""
    out = []
    bounded = [t for t in TUNABLES if t.lo is not None or t.hi is not None]
    while len(out) < n:
        t = rng.choice(bounded)
        if t.lo is not None and (t.hi is None or rng.random() < 0.5):
            v = t.lo - abs(t.lo) * rng.uniform(0.01, 2) - (1e-6 if t.lo == 0 else 0)
        elif t.hi is not None:
            v = t.hi + abs(t.hi) * rng.uniform(0.01, 2) + 1e-6
        else:
            continue
        out.append(t.override(v))
    return out


def in_domain(rng: random.Random, n: int) -> list[str]:
    """--set overrides with a value inside its parameter's domain (the file's value moved)."""
    out = []
    for _ in range(n):
        t = rng.choice(TUNABLES)
        v = float(t.value) * rng.uniform(0.8, 1.2)
        if t.lo is not None:
            v = max(v, t.lo + 1e-9 * max(1.0, abs(t.lo)))
        if t.hi is not None:
            v = min(v, t.hi)
        out.append(t.override(v))
    return out


def key_typos(rng: random.Random, n: int) -> list[str]:
    """--set overrides with one character of a real key changed."""
    out = []
    for _ in range(n):
        t = rng.choice(TUNABLES)
        parts = t.key.split(".")
        j = rng.randrange(len(parts))
        word = parts[j]
        i = rng.randrange(len(word))
        parts[j] = word[:i] + rng.choice(string.ascii_lowercase + "_") + word[i + 1 :]
        if ".".join(parts) != t.key:
            out.append(t.override(t.value).replace(t.key, ".".join(parts), 1))
    return out


def toml_files(rng: random.Random, n: int, folder: Path) -> list[Path]:
    """Malformed params files: random bytes and text, deep nesting, huge files, tables of the wrong
    shape, special files."""
    shapes = ["[1, 2]", "{a = 1}", "true", "1979-05-27"]
    wrong = ["3.5", "-3", "'3'"]
    sections = ["sources", "labour"]
    distribution = (
        "[uncertainty.x]\nparameters = ['economics.oxide_prices.Nd']\ndistribution = 'uniform'\n"
        "low = '1 USD/kg'\nhigh = '2 USD/kg'\nsource = 'x'\n"
    )
    makers = [
        lambda: bytes(rng.getrandbits(8) for _ in range(rng.randint(1, 400))),
        lambda: "".join(rng.choices(string.printable, k=rng.randint(1, 400))).encode(),
        lambda: ("x = " + "[" * rng.randint(10, 5000) + "]" * 10).encode(),
        lambda: ("a" + ".a" * rng.randint(9, 60) + " = 1").encode(),
        lambda: b"# " + b"x" * 1_100_000,
        lambda: f"[leaching]\ntemperature = {rng.choice(shapes)}\n".encode(),
        lambda: f"[leaching]\n{rng.choice(['tanks', 'acid'])} = {rng.choice(wrong)}\n".encode(),
        lambda: f"[{rng.choice(['feed', 'economics'])}]\n{rng.choice(sections)} = 3\n".encode(),
        lambda: distribution.encode(),
    ]
    out = [Path("/dev/zero"), Path("/tmp"), folder / "missing.toml"]
    for k in range(n - len(out)):
        p = folder / f"f{k}.toml"
        p.write_bytes(rng.choice(makers)())
        out.append(p)
    return out


def batch_values(rng: random.Random, n: int) -> list[dict]:
    """with_values dictionaries with bad values: NaN, infinity, out of domain, booleans, text."""
    out = []
    for _ in range(n):
        t = rng.choice(TUNABLES)
        spec = scalar_spec(model.Params, t.key)
        bad = rng.choice(
            [
                np.array([1.0, np.nan]),
                np.array([np.inf, 1.0]),
                True,
                "3 h",
                np.array([spec.lo - 1.0]) if spec.lo is not None else np.array([-np.inf]),
                np.array([spec.hi * 10 + 1.0]) if spec.hi is not None else np.array([np.nan]),
            ]
        )
        out.append({t.key: bad})
    return out


def cli_options(rng: random.Random, n: int) -> list[list[str]]:
    """Command lines with bad options."""
    makers = [
        lambda: ["mc", "--samples", str(rng.choice([0, -5, 300_000_000, 10**12]))],
        lambda: ["mc", "--samples", "5", "--seed", str(rng.choice([-1, 2**40, -(2**70)]))],
        lambda: ["mc", "--samples", "5", "--scheduler", rng.choice(["x", "tcp://", "a b:1", ""])],
        lambda: [
            "sensitivity",
            "--method",
            "tornado",
            "--range",
            rng.choice(
                ["ndpr_price=55 kg:110 kg", "ndpr_price=9:1", "nope=1:2", "ndpr_price=1 USD/kg"]
            ),
        ],
        lambda: ["sensitivity", "--method", "morris", "--trajectories", str(rng.choice([0, 1]))],
        lambda: ["run", "--out", ""],
        lambda: ["run", "--set", rng.choice(["=3", "a..b=1", "leaching=1", "x" * 3000 + "=1"])],
    ]
    return [rng.choice(makers)() for _ in range(n)]


def classify(fn) -> str:
    try:
        fn()
        return "ran"
    except PlantError:
        return "refused"
    except Exception:  # anything else is a crash of the model
        return "crashed"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--per-class", type=int, default=700)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    rng = random.Random(args.seed)
    n = args.per_class
    from plant import cli

    def cli_call(argv):
        code = cli.main(argv)
        if code == 2:
            raise PlantError("exit 2")
        if code != 0:
            raise RuntimeError(f"exit {code}")

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        classes = [
            (
                "quantity text: arithmetic, towers, commas, junk",
                True,
                [
                    lambda k=k, t=t: model.load_params(overrides=[f"{k}={t!r}"])
                    for k, t in quantity_texts(rng, n)
                ],
            ),
            (
                "value outside its domain (--set)",
                True,
                [lambda o=o: model.load_params(overrides=[o]) for o in out_of_domain(rng, n)],
            ),
            (
                "typo in a key (--set)",
                True,
                [lambda o=o: model.load_params(overrides=[o]) for o in key_typos(rng, n)],
            ),
            (
                "malformed or special params file",
                True,
                [lambda p=p: model.load_params(p) for p in toml_files(rng, n, folder)],
            ),
            (
                "bad batch value (with_values)",
                True,
                [lambda v=v: with_values(PARAMS, v) for v in batch_values(rng, n)],
            ),
            (
                "bad command-line option",
                True,
                [
                    lambda a=a: cli_call(a + (["--json"] if a[0] != "run" else []))
                    for a in cli_options(rng, max(n // 10, 20))
                ],
            ),
            (
                "value inside its domain (--set), evaluated",
                False,
                [
                    lambda o=o: model.evaluate(model.load_params(overrides=[o]))
                    for o in in_domain(rng, max(n // 4, 20))
                ],
            ),
        ]
        for name, bad, calls in classes:
            t = time.perf_counter()
            outcomes = [classify(c) for c in calls]
            rows.append(
                (
                    name,
                    len(outcomes),
                    outcomes.count("refused"),
                    outcomes.count("ran"),
                    outcomes.count("crashed"),
                    outcomes.count("ran") if bad else 0,
                    time.perf_counter() - t,
                )
            )
    print(f"{'class':48s} {'tried':>6s} {'refused':>8s} {'ran':>6s} {'crashed':>8s} {'silent':>7s}")
    for name, tried, refused, ran, crashed, silent, secs in rows:
        print(
            f"{name:48s} {tried:6d} {refused:8d} {ran:6d} {crashed:8d} {silent:7d}  ({secs:.0f} s)"
        )
    total = sum(r[1] for r in rows)
    print(f"{'total':48s} {total:6d}")
    return 0 if all(r[4] == 0 and r[5] == 0 for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
