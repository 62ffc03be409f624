"""The app in a real browser: Playwright driving Debian's Chromium against ``streamlit run`` on
127.0.0.1.

Renders the overview, changes a parameter and sees the KPI change, refuses an invalid upload with
its message, downloads the Excel workbook and saves a screenshot to ``test-artifacts/``. Skipped,
with how to install it, where Chromium is absent.
"""

import io
from pathlib import Path

import pytest

from app_pages import launch
from plant import model, report

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
missing = launch.chromium_missing()
pytestmark = [pytest.mark.browser, pytest.mark.skipif(missing is not None, reason=missing or "")]


@pytest.fixture(scope="module")
def page():
    with launch.browser() as b, launch.served() as url:
        p = b.new_page(viewport={"width": 1400, "height": 1600}, accept_downloads=True)
        p.goto(url)
        launch.wait_rendered(p)
        p.app_url = url
        yield p


def test_the_overview_renders_the_base_case(page):
    s = report.summary(model.evaluate(model.load_params()))
    assert (
        launch.metric(page, "Nameplate").inner_text()
        == f"{s['capacity']['nameplate_t_per_yr']:,.0f} t/yr"
    )
    assert page.get_by_text(report.verdict(s["capacity"])).is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "overview.png"))


def test_a_parameter_change_updates_the_kpi(page):
    old = launch.metric(page, "Nameplate").inner_text()
    launch.change_lever(page, "1000")
    launch.wait_changed(page, "Nameplate", old)
    s = report.summary(
        model.evaluate(model.load_params(overrides=["concentrate.flow='1000 t/yr'"]))
    )
    assert (
        launch.metric(page, "Nameplate").inner_text()
        == f"{s['capacity']['nameplate_t_per_yr']:,.0f} t/yr"
    )
    page.screenshot(path=str(ARTIFACTS / "overview_with_concentrate.png"))


def test_an_invalid_upload_shows_its_error(page, tmp_path):
    page.goto(f"{page.app_url}/scenarios")
    launch.wait_rendered(page, chart=False)
    before = launch.metric(page, "REO output").inner_text()
    bad = tmp_path / "bad.toml"
    bad.write_text("[leaching]\ntemperature = '5 kg'\n")
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(bad))
    alert = page.locator('[data-testid="stAlert"]', has_text="bad.toml: leaching.temperature")
    alert.wait_for(timeout=30_000)
    assert "which is of dimension [mass]" in alert.inner_text()
    assert launch.metric(page, "REO output").inner_text() == before
    page.screenshot(path=str(ARTIFACTS / "invalid_upload.png"))


def test_the_excel_workbook_downloads(page):
    import openpyxl

    page.goto(f"{page.app_url}/downloads")
    launch.wait_rendered(page, chart=False)
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name="Excel workbook").click()
    path = info.value.path()
    book = openpyxl.load_workbook(io.BytesIO(Path(path).read_bytes()))
    assert {"capex", "opex", "cashflow"} <= set(book.sheetnames)
    assert book["capex"]["A1"].value == "line"
