"""Helpers of the AppTest suites: run the app on a page, and read its KPI cards and widgets."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "app_streamlit.py")


def app(page: str = "overview") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120).run()
    if page != "overview":
        at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, at.exception
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def kpi(at: AppTest, start: str) -> str:
    return next(v for k, v in metrics(at).items() if k.startswith(start))


def widget(at: AppTest, key: str):
    return next(
        w
        for kind in (at.number_input, at.selectbox, at.checkbox)
        for w in kind
        if w.key == f"param:{key}"
    )
