"""What a manager and an engineer read, in a real browser (Playwright driving Debian's Chromium):
the app in Traditional Chinese by ``?lang=zh-TW`` and back to English from the sidebar, the off-spec
flag in both languages, the printable report (報告) downloaded and rendered, the process flow
diagram with the model's flows, the stage profiles' g/L against the model's, and "What it takes"
loading its plan. Screenshots go to ``test-artifacts/``; skipped, saying why, without Chromium.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app_pages import launch
from plant import dashboard, i18n, model, report
from plant.paths import SCENARIOS_DIR

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
ZH = "zh-TW"
missing = launch.chromium_missing()
pytestmark = [pytest.mark.browser, pytest.mark.skipif(missing is not None, reason=missing or "")]


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """(browser, URL) of one served app for the module."""
    with launch.browser() as b, launch.served() as url:
        yield b, url


@pytest.fixture(scope="module")
def concentrate():
    """The US bastnaesite scenario's dashboard: a product off spec (the La-Ce oxide, which keeps
    the magnets' cobalt)."""
    p, _ = model.load(SCENARIOS_DIR / "us_bastnaesite.toml")
    return dashboard.build(model.evaluate(p))


def _page(app, path: str, chart: bool = True):
    b, url = app
    page = b.new_page(viewport={"width": 1400, "height": 1600}, accept_downloads=True)
    page.goto(f"{url}/{path}")
    launch.wait_rendered(page, chart=chart)
    return page


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def test_chinese_by_the_address_then_english_from_the_sidebar(app, concentrate):
    c = concentrate.summary["capacity"]
    off = [n for n, p in concentrate.summary["products"].items() if not p["on_spec"]][0]
    page = _page(app, f"?lang={ZH}&scenario=us_bastnaesite")
    assert page.get_by_text(report.verdict(c, ZH)).is_visible()
    flag = page.locator('[data-testid="stAlert"]').filter(has_text="不合規格：")
    assert i18n.product_name(off, ZH) in flag.inner_text()  # the off-spec product, named in Chinese
    assert launch.metric(page, "設計產能").inner_text() == (
        f"{i18n.number(c['nameplate_t_per_yr'], 0, ZH)} 公噸/年"
    )
    assert page.get_by_role("link", name="經濟效益").is_visible()  # the pages' names too
    _shot(page, "overview_zh-TW.png")
    page.get_by_text("English", exact=True).click()
    page.get_by_text(report.verdict(c)).wait_for()
    flag = page.locator('[data-testid="stAlert"]').filter(has_text="Off spec: ")
    assert i18n.product_name(off, "en") in flag.inner_text() and "lang=en" in page.url
    page.close()


def test_the_report_downloads_and_prints_on_one_page(app, concentrate):
    page = _page(app, f"?lang={ZH}&scenario=us_bastnaesite")
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name="報告").click()
    html = Path(info.value.path()).read_text(encoding="utf-8")
    s = concentrate.summary
    assert report.verdict(s["capacity"], ZH) in html
    assert "不合規格" in html and html.count("<svg") == 2
    assert "<script" not in html and "http" not in html.replace("http://www.w3.org", "")
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "report_zh-TW.html").write_text(html, encoding="utf-8")
    page.set_content(html)
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4")
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1  # one page
    page.set_viewport_size({"width": 800, "height": 1130})
    _shot(page, "report_zh-TW.png")
    page.close()


def test_the_process_flow_diagram_shows_the_models_flows(app):
    board = dashboard.build(model.evaluate(model.load_params()))
    page = _page(app, "flowsheet", chart=False)
    svg = page.locator('[data-testid="stGraphVizChart"] svg')
    svg.wait_for()
    text = svg.text_content()
    link = board.links.set_index("stream").loc["iron_filter.filtrate"]
    assert "iron filter" in text and "sx heavy" in text and "NdPr oxide" in text
    assert f"{link['total']:,.0f} kg/h" in text  # the flow on its arrow, as the model has it
    _shot(page, "process_flow_diagram.png")
    page.close()


def test_the_stage_profiles_show_the_models_g_per_litre(app):
    board = dashboard.build(model.evaluate(model.load_params()))
    page = _page(app, "separation")
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot').length >= 2")
    shown = page.evaluate(
        """() => [...document.querySelectorAll('.js-plotly-plot')].map(p => ({
            title: p.layout.title.text,
            traces: p._fullData.map(t => [t.name, Array.from(t.y)])}))"""
    )
    aqueous = next(c for c in shown if "Aqueous phase" in c["title"])
    nd = dict(aqueous["traces"])["Nd"]
    expected = board.sx_profiles["sx_heavy"].query("element == 'Nd'")["aqueous_g_per_L"]
    assert nd == pytest.approx(expected.tolist(), rel=1e-9)
    assert max(nd) > 5.0  # g/L of a leach liquor, not mg/L
    _shot(page, "separation.png")
    page.close()


def test_what_it_takes_finds_a_plan_and_loads_it(app):
    page = _page(app, "")
    page.get_by_text("What it takes").click()
    year = page.get_by_role("spinbutton", name="By the year")
    year.fill("2032")
    year.press("Enter")
    page.get_by_role("button", name="Find the plan").click()
    answer = page.get_by_text(re.compile(r"^Plan: 50 % of REO demand by 2032"))
    answer.wait_for(timeout=240_000)
    load = page.get_by_role("button", name="Load this plan as the current scenario")
    if load.count():  # a feasible plan: loading it meets the target in that year
        old = launch.metric(page, "Nameplate").inner_text()
        load.click()
        launch.wait_changed(page, "Nameplate", old, timeout_ms=60_000)
        assert "set=" in page.url
    _shot(page, "what_it_takes.png")
    page.close()
