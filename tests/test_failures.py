"""No good sample is lost and no output is invalid: failures isolated per sample in batches, Monte
Carlo and sensitivity reporting them, JSON without NaN or Infinity, results written atomically."""

import json
import math

import numpy as np
import pytest

from plant import cli, model
from plant.analysis import montecarlo, sensitivity
from plant.analysis.batch import FAILURE, PlantModel, failures_of
from plant.errors import InfeasibleError, PlantError
from plant.isolation import isolate
from plant.jsonout import dumps

# a distribution of the oxalate cake's moisture that reaches cakes the slurry cannot fill
WET_CAKE = """
[uncertainty.cake]
parameters = ["oxalate_filter.cake_moisture"]
distribution = "uniform"
low = 0.2
high = 0.94
source = "[E] test"
"""


def test_isolate_drops_the_failing_samples_and_keeps_the_rest():
    bad = {3, 7, 8}

    def evaluate(idx):
        if bad & set(idx.tolist()):
            exc = InfeasibleError("too wet")
            exc.failing = np.isin(idx, list(bad))
            raise exc
        return idx * 10

    pieces, failed = isolate(evaluate, 10)
    assert set(failed.reasons) == bad and failed.share == pytest.approx(0.3)
    assert sorted(i for idx, _ in pieces for i in idx.tolist()) == [0, 1, 2, 4, 5, 6, 9]
    # without a mask the batch is split down to the failing samples
    pieces, failed = isolate(lambda idx: 1 / (0 if 5 in idx else 1), 10)
    assert list(failed.reasons) == [5] and "ZeroDivisionError" in failed.reasons[5]


def test_a_batch_with_failing_samples_keeps_the_good_ones(base):
    values = {"oxalate_filter.cake_moisture": np.array([0.3, 0.94, 0.4, 0.94, 0.5])}
    out = PlantModel(base)(values)
    failed = failures_of(out)
    assert sorted(failed.reasons) == [1, 3]
    assert "cake_moisture" in failed.reasons[1]
    npv = out["npv_usd"]
    assert np.isnan(npv[[1, 3]]).all() and np.isfinite(npv[[0, 2, 4]]).all()
    for i in (0, 2, 4):  # each good sample as it is alone
        one = PlantModel(base)({k: v[i : i + 1] for k, v in values.items()})
        assert npv[i] == pytest.approx(one["npv_usd"][0], rel=1e-12)


def test_monte_carlo_reports_failures_and_takes_statistics_over_the_rest(write_toml):
    params = model.load_params(write_toml(WET_CAKE))
    mc = montecarlo.run(params, 400, seed=2, names=["cake", "ndpr_price"])
    s = mc.summary()
    f = s["failed"]
    assert 0 < f["count"] < 400 and f["share"] == pytest.approx(f["count"] / 400)
    assert list(f["reasons"]) == [next(iter(f["reasons"]))] and "cake_moisture" in next(
        iter(f["reasons"])
    )
    good = mc.outputs[mc.outputs[FAILURE] == ""]
    assert s["npv_usd"]["p50"] == pytest.approx(float(np.percentile(good["npv_usd"], 50)))
    json.loads(dumps(s))  # valid, strict JSON


def test_sobol_refuses_with_failed_samples_and_says_why(write_toml):
    params = model.load_params(write_toml(WET_CAKE))
    inputs = montecarlo.inputs_of(params, ["cake", "ndpr_price"])
    m = PlantModel(params)
    with pytest.raises(PlantError, match="Sobol indices need every sample.*failed"):
        sensitivity.sobol(m, inputs, 64, seed=1)
    wetter = model.load_params(write_toml(WET_CAKE.replace("low = 0.2", "low = 0.6"), "w.toml"))
    inputs = montecarlo.inputs_of(wetter, ["cake", "ndpr_price"])
    frames = sensitivity.morris(PlantModel(wetter), inputs, 20, seed=1)
    df = frames["npv_usd"]
    assert 2 <= df.attrs["trajectories_used"] < 20 and df.attrs["failed"]["count"] > 0
    assert np.isfinite(df["sigma"]).all()


def test_morris_needs_two_trajectories(base):
    inputs = montecarlo.inputs_of(base, ["ndpr_price"])
    with pytest.raises(PlantError, match="at least 2 Morris trajectories"):
        sensitivity.morris(PlantModel(base), inputs, 1)


def test_json_never_holds_nan_or_infinity():
    data = {"irr": float("nan"), "x": [1.0, float("inf")], "y": np.array([np.nan, 2.0])}
    text = dumps(data)
    out = json.loads(text)
    assert out["irr"] is None and "cash flow does not change sign" in out["irr_reason"]
    assert out["x"] == [1.0, None] and out["x_reason"] and out["y"] == [None, 2.0]
    assert "NaN" not in text and "Infinity" not in text


def test_cli_json_outputs_are_strict_json(capsys):
    # scrap bought at its full value: the cash flow never turns positive, so there is no IRR
    dear = [f"economics.feed.terms.{s}.payable=1" for s in ("hdd", "motor", "swarf")]
    assert cli.main(["run", "--json", *(a for s in dear for a in ("--set", s))]) == 0
    out = capsys.readouterr().out
    data = json.loads(out, parse_constant=lambda c: pytest.fail(f"non-standard JSON {c}"))
    assert data["economics"]["irr"] is None and data["economics"]["irr_reason"]


def test_out_writes_atomically_and_refuses_to_overwrite(tmp_path, capsys):
    target = tmp_path / "results"
    assert cli.main(["run", "--out", str(target)]) == 0
    first = (target / "summary.json").read_text()
    assert (
        cli.main(["run", "--out", str(target), "--set", "economics.oxide_prices.Nd='80 USD/kg'"])
        == 2
    )
    assert "holds earlier results" in capsys.readouterr().err
    assert (target / "summary.json").read_text() == first  # nothing changed
    assert (
        cli.main(
            [
                "run",
                "--out",
                str(target),
                "--force",
                "--set",
                "economics.oxide_prices.Nd='80 USD/kg'",
            ]
        )
        == 0
    )
    assert (target / "summary.json").read_text() != first
    assert not [p for p in target.iterdir() if p.name.startswith(".plant-out-")]
    assert cli.main(["run", "--out", ""]) == 2
    assert "a folder" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv, words",
    [
        (["mc", "--seed", "-1", "--samples", "10"], ["--seed", "0 to 4,294,967,295", "-1"]),
        (["mc", "--samples", "300000000"], ["--samples", "10,000,000"]),
        (["mc", "--samples", "10", "--scheduler", "not an address"], ["--scheduler"]),
        (["sensitivity", "--method", "morris", "--trajectories", "1"], ["at least 2"]),
    ],
)
def test_bad_analysis_options_exit_2_with_the_option_named(capsys, argv, words):
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("plant: error:") and "Traceback" not in err
    for w in words:
        assert w in err, err


def test_reasons_for_known_nulls_are_specific():
    assert not math.isnan(0.0)  # (the sanity of the helper below)
    text = dumps({"payback_yr": None, "year_target_met": float("nan")})
    out = json.loads(text)
    assert "cumulative cash flow" in out["payback_yr_reason"]
    assert "no year" in out["year_target_met_reason"]


@pytest.mark.parametrize(
    "argv",
    [
        ["mc", "--input", "ndpr_price", "--samples", "50", "--json"],
        ["sensitivity", "--input", "ndpr_price", "--method", "tornado", "--json"],
        [
            "optimize",
            "--var",
            "economics.oxide_prices.Nd=60 USD/kg:90 USD/kg",
            "--no-target",
            "--set",
            "solvent_extraction.mode=constant_D",
            "--json",
        ],
    ],
)
def test_analyses_of_inputs_that_do_not_reach_the_separation(capsys, argv):
    assert cli.main(argv) == 0, capsys.readouterr().err
    json.loads(capsys.readouterr().out)
