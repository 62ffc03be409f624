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
    assert metrics["REO output"] == f"{expected:,.0f} t/yr"
    assert float(metrics["Element balance closure"]) < 1e-9
    assert len(at.dataframe) == 3          # products, reagents, stream table
