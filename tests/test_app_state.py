"""The app keeps its last valid state, run with AppTest: a refused edit or upload is not applied,
says why in plain words and puts its widget back; the next edit works straight away; edits can be
undone one by one; no upload can stall the server; the downloaded parameter file stands alone and
loads to the app's results, even over a custom base file."""

import json
import re
import sys
import time
import tomllib

import pytest
from streamlit.testing.v1 import AppTest

from plant import model, report, tuning
from plant.paths import BASE_PARAMS
from tests.app_helpers import APP, app, kpi, metrics, widget

CONCENTRATE = b"[concentrate]\nflow = '1000 t/yr'\n"


def upload(at: AppTest, name: str, data: bytes) -> AppTest:
    """Drop a file on the Scenarios page's drop zone (which is empty after each file taken)."""
    assert len(at.file_uploader) == 1 and at.file_uploader[0].value is None
    return at.file_uploader[0].set_value((name, data, "application/toml")).run()


def sidebar_button(at: AppTest, label: str):
    return next(b for b in at.sidebar.button if b.label == label)


def summary(*files, **kw) -> dict:
    return report.summary(model.evaluate(model.load_params(*files, **kw)))


# ---------------------------------------------------------------------------------- refused edits


def test_a_refused_edit_says_why_and_the_widget_goes_back_to_its_valid_value():
    at = app("flowsheet")
    before = metrics(at)
    widget(at, "leaching.liquid_to_solid").set_value(0.0).run()  # the domain is > 0
    assert not at.exception
    message = at.error[0].value
    assert message.startswith("**Not applied: liquid to solid = 0 L/kg.**")
    assert "Why: Your edit: leaching.liquid_to_solid: expected" in message
    assert "--set" not in message
    assert "Liquid to solid is back at 3 L/kg; the page shows the last valid" in message
    assert "Not applied: liquid to solid = 0 L/kg" in at.toast[0].value  # seen when scrolled
    assert metrics(at) == before
    assert at.session_state["edits"] == {}
    w = widget(at, "leaching.liquid_to_solid")
    assert w.value == 3.0
    assert w.proto.set_value and w.proto.value == 3.0  # the browser is told to show it again


def test_after_a_refusal_a_different_edit_applies_straight_away():
    at = app("flowsheet")
    widget(at, "leaching.liquid_to_solid").set_value(0.1).run()  # infeasible for the acid
    assert "liquid_to_solid is too low" in at.error[0].value
    assert "Liquid to solid is back at 3 L/kg" in at.error[0].value
    before = kpi(at, "Cost per kg")
    widget(at, "leaching.acid_excess").set_value(2.0).run()
    assert not at.exception and not at.error
    assert at.session_state["edits"] == {"leaching.acid_excess": "leaching.acid_excess=2.0"}
    assert widget(at, "leaching.liquid_to_solid").value == 3.0
    assert kpi(at, "Cost per kg") != before


def test_a_refusal_keeps_the_earlier_edits():
    at = app("economics")
    widget(at, "economics.finance.discount_rate").set_value(5.0).run()
    npv = kpi(at, "NPV")
    widget(at, "economics.finance.plant_life").set_value(1).run()  # shorter than the build
    message = at.error[0].value
    assert message.startswith("**Not applied: Plant life = 1.**")
    assert "Plant life is back at 20;" in message
    assert kpi(at, "NPV") == npv
    assert at.session_state["edits"] == {
        "economics.finance.discount_rate": "economics.finance.discount_rate=0.05"
    }
    assert widget(at, "economics.finance.plant_life").value == 20
    assert widget(at, "economics.finance.discount_rate").value == 5.0


def test_undo_last_edit_goes_back_one_change_at_a_time_and_after_undo_all():
    at = app("economics")
    base_npv = kpi(at, "NPV")
    assert not [b for b in at.sidebar.button if b.label == "Undo last edit"]
    widget(at, "economics.finance.discount_rate").set_value(5.0).run()
    one_npv = kpi(at, "NPV")
    widget(at, "economics.exchange_rate").set_value(30.0).run()
    widget(at, "economics.finance.discount_rate").set_value(8.0).run()
    assert kpi(at, "NPV") not in (base_npv, one_npv)
    sidebar_button(at, "Undo last edit").click().run()
    assert widget(at, "economics.finance.discount_rate").value == 5.0
    assert widget(at, "economics.exchange_rate").value == 30.0
    sidebar_button(at, "Undo last edit").click().run()
    assert widget(at, "economics.exchange_rate").value != 30.0
    assert kpi(at, "NPV") == one_npv and not at.error
    sidebar_button(at, "Undo all edits").click().run()
    assert kpi(at, "NPV") == base_npv and at.session_state["edits"] == {}
    assert widget(at, "economics.finance.discount_rate").value == 10.0
    sidebar_button(at, "Undo last edit").click().run()  # undoes the 'undo all'
    assert kpi(at, "NPV") == one_npv
    assert widget(at, "economics.finance.discount_rate").value == 5.0


def test_a_new_scenario_sets_the_levers_to_its_values():
    at = app()
    assert widget(at, "concentrate.flow").value == 0.0
    at.sidebar.selectbox(key="scenario").set_value("concentrate").run()
    _, doc = model.load("params/scenarios/concentrate.toml")
    flow = next(t for t in tuning.tunables(model.Params, doc) if t.key == "concentrate.flow")
    assert flow.value > 0 and widget(at, "concentrate.flow").value == flow.value


def test_scenarios_back_and_forth_keep_the_separation_widgets_right():
    at = app("separation")
    at.sidebar.selectbox(key="scenario").set_value("concentrate").run()
    at.radio(key="sx_circuit").set_value("sx_light").run()
    widget(at, "solvent_extraction.light.saponification").set_value(0.32).run()
    assert not at.exception and not at.error
    at.sidebar.selectbox(key="scenario").set_value("base (params/base.toml only)").run()
    assert not at.exception
    assert "param:solvent_extraction.light.saponification" not in at.session_state


def test_a_file_broken_on_disk_says_so_and_the_app_recovers(custom_base):
    at = app()
    before = metrics(at)
    good = custom_base.read_text()
    custom_base.write_text(good.replace('name = "ministry case"', "name = 5", 1))
    at.run()
    assert not at.exception
    assert at.error[0].value.startswith("**These parameters cannot be evaluated.**")
    assert "ministry.toml: scenario.name" in at.error[0].value
    assert at.sidebar.selectbox(key="scenario")  # the sidebar is there to recover with
    custom_base.write_text(good)
    at.run()
    assert not at.error and metrics(at) == before


# ---------------------------------------------------------------------------------------- uploads


def test_a_bad_upload_keeps_the_previous_good_upload_in_force():
    at = app("scenarios")
    upload(at, "conc.toml", CONCENTRATE)
    good = metrics(at)
    expected = summary(overrides=["concentrate.flow='1000 t/yr'"])
    assert (
        kpi(at, "On-spec REO output 2029")
        == f"{expected['capacity']['on_spec_reo_t_per_yr']:,.0f} t/yr"
    )
    upload(at, "bad.toml", b"[leaching]\ntemperature = '5 kg'\n")
    message = at.error[0].value
    assert message.startswith("**Not applied: the file `bad.toml`.**")
    assert (
        "bad.toml: leaching.temperature" in message
        and "the file `conc.toml` still applies" in message
    )
    assert metrics(at) == good
    assert at.session_state["upload"][0] == "conc.toml"
    at.text_input[0].set_value("another run").run()  # any later rerun keeps it
    assert metrics(at) == good and not at.error
    next(b for b in at.button if b.label == "Remove the uploaded file").click().run()
    assert at.session_state["upload"] is None
    assert (
        kpi(at, "On-spec REO output 2029")
        == f"{summary()['capacity']['on_spec_reo_t_per_yr']:,.0f} t/yr"
    )


HOSTILE = {
    "power.toml": (b"[concentrate]\nflow = '10**10**8 t/yr'\n", r"'10\*\*10\*\*8 t/yr'"),
    "comma.toml": (b"[concentrate]\nflow = '1,5 t/yr'\n", "comma in its number"),
    "deep.toml": (b"a = " + b"[" * 100_000 + b"]" * 100_000 + b"\n", "nested at most"),
    "big.toml": (b"# " + b"x" * 1_100_000 + b"\n", "at most 1,000,000 bytes"),
}


@pytest.mark.parametrize("name", HOSTILE)
def test_no_upload_can_stall_the_server(name):
    data, words = HOSTILE[name]
    at = app("scenarios")
    before = metrics(at)
    t0 = time.perf_counter()
    at.file_uploader[0].set_value((name, data, "application/toml")).run(timeout=30)
    assert time.perf_counter() - t0 < 30
    assert not at.exception
    message = at.error[0].value
    assert message.startswith(f"**Not applied: the file `{name}`.**") and words in message
    assert metrics(at) == before
    assert at.session_state["upload"] is None


# -------------------------------------------------------------------------------------- downloads


@pytest.fixture()
def custom_base(tmp_path, monkeypatch):
    """A base file other than params/base.toml (another name, a changed discount rate, one
    uncertainty entry fewer), given to the app on its command line."""
    text = BASE_PARAMS.read_text()
    text = text.replace('name = "base"', 'name = "ministry case"', 1)
    text, n = re.subn(r"(?m)^discount_rate = 0\.10\b", "discount_rate = 0.07", text)
    assert n == 1
    text, n = re.subn(r"(?ms)^\[uncertainty\.hcl_price\].*?(?=^\[|\Z)", "", text)
    assert n == 1
    path = tmp_path / "ministry.toml"
    path.write_text(text)
    monkeypatch.setattr(sys, "argv", ["app_streamlit.py", str(path)])
    return path


def test_the_download_stands_alone_and_loads_to_the_apps_results(custom_base, tmp_path):
    at = app()
    assert at.session_state["base"] == str(custom_base)
    untouched = tomllib.loads(at.session_state["view"].toml)["scenario"]
    assert untouched["name"] == "ministry case" and untouched["standalone"] is True
    widget(at, "concentrate.flow").set_value(1000.0).run()
    assert not at.error
    text = at.session_state["view"].toml  # what both download buttons serve
    doc = tomllib.loads(text)
    assert doc["scenario"]["name"] == "ministry case (edited)"
    assert doc["scenario"]["standalone"] is True
    path = tmp_path / "plant_params.toml"
    path.write_text(text)
    p = model.load_params(path)  # over params/base.toml, as `plant run FILE` reads it
    assert p.economics.finance.discount_rate == 0.07
    assert "HCl price" not in {d.label for d in p.uncertainty} and p.uncertainty
    got = report.summary(model.evaluate(p))
    shown = at.session_state["view"].summary
    assert (got["scenario"], shown["scenario"]) == ("ministry case (edited)", "ministry case")
    same = dict(default=str, sort_keys=True)
    assert json.dumps({**got, "scenario": ""}, **same) == json.dumps(
        {**shown, "scenario": ""}, **same
    )
    e, c = got["economics"], got["capacity"]
    assert kpi(at, "NPV") == f"{e['npv_usd'] / 1e6:,.1f} MUSD"
    assert kpi(at, "Cost per kg") == f"{e['cost_usd_per_kg_reo']:,.1f} USD/kg"
    assert kpi(at, "On-spec REO output 2029") == f"{c['on_spec_reo_t_per_yr']:,.0f} t/yr"
    at.switch_page("app_pages/overview.py").run()
    assert kpi(at, "Total capital investment") == f"{e['capex_usd'] / 1e6:,.1f} MUSD"
    expected = summary(base=custom_base, overrides=["concentrate.flow='1000.0 t/yr'"])
    assert expected["economics"]["npv_usd"] == e["npv_usd"]


def test_an_uploaded_download_gives_the_same_results_and_is_not_named_twice(custom_base):
    at = app("scenarios")
    at.session_state["edits"] = {"concentrate.flow": "concentrate.flow='1000.0 t/yr'"}
    at.run()
    first = metrics(at)
    text = at.session_state["view"].toml
    sidebar_button(at, "Undo all edits").click().run()
    assert metrics(at) != first
    upload(at, "plant_params.toml", text.encode())
    assert not at.error and metrics(at) == first
    assert tomllib.loads(at.session_state["view"].toml)["scenario"]["name"] == (
        "ministry case (edited)"
    )


def test_the_sidebar_lists_each_edit_with_its_own_undo():
    at = app("economics")
    npv = kpi(at, "NPV")
    widget(at, "economics.finance.discount_rate").set_value(5.0).run()
    widget(at, "economics.finance.plant_life").set_value(25).run()
    shown = " ".join(c.value for c in at.sidebar.caption)
    assert "economics.finance.discount_rate = 0.05" in shown
    assert "economics.finance.plant_life = 25" in shown
    at.sidebar.button(key="drop:economics.finance.plant_life").click().run()
    shown = " ".join(c.value for c in at.sidebar.caption)
    assert "plant_life" not in shown and "discount_rate = 0.05" in shown
    at.sidebar.button(key="drop:economics.finance.discount_rate").click().run()
    assert kpi(at, "NPV") == npv and not at.sidebar.caption


def test_edits_and_scenario_survive_a_reload_through_the_address():
    at = app("economics")
    widget(at, "economics.finance.discount_rate").set_value(5.0).run()
    npv = kpi(at, "NPV")
    kept = at.query_params["set"]
    kept = kept if isinstance(kept, list) else [kept]
    assert kept == ["economics.finance.discount_rate=0.05"]
    # a new session opened on the same address (a reload) starts from its edits
    again = AppTest.from_file(APP, default_timeout=120)
    again.query_params["set"] = kept
    again.query_params["scenario"] = at.query_params["scenario"]
    again.run()
    assert not again.exception
    assert kpi(again, "NPV") == npv
    # an address with a bad edit is refused by name, and the base case shows
    bad = AppTest.from_file(APP, default_timeout=120)
    bad.query_params["set"] = ["economics.finance.discount_rate='5 kg'"]
    bad.run()
    assert not bad.exception and "discount_rate" in " ".join(e.value for e in bad.error)
