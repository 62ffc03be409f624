"""The Streamlit app seed, run for real with AppTest."""
from pathlib import Path

from streamlit.testing.v1 import AppTest

from plant import model

APP = str(Path(__file__).resolve().parent.parent / "app_streamlit.py")


def test_app_shows_the_base_case_result():
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert not at.error
    metrics = {m.label: m.value for m in at.metric}
    expected = float(model.run(model.load_params()).reo_t_per_yr())
    assert metrics["REO output at nameplate"] == f"{expected:,.0f} t/yr"
    assert at.info[0].value.startswith("Short of the target (50 % of demand)")
    assert float(metrics["Element balance closure"]) < 1e-9
    assert len(at.dataframe) == 3          # products, reagents, stream table


def test_app_shows_the_energy_kpis():
    at = AppTest.from_file(APP, default_timeout=60).run()
    metrics = {m.label: m.value for m in at.metric}
    energy = model.evaluate(model.load_params()).energy.summary()
    assert metrics["CO2 per kg REO"] == f"{float(energy['co2_kg_per_kg_reo']):.2f} kg"
    assert metrics["Electricity"] == f"{float(energy['electricity_kwh_per_yr']) / 1e6:,.2f} GWh/yr"
