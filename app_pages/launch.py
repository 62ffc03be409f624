"""Start the app on a free port of 127.0.0.1 and a headless Chromium to drive it: for the browser
tests and the browser benchmark (``python -m app_pages.launch`` prints its figures)."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
"""Headless, as root, on a machine with no outside network: nothing that calls home."""


def chromium_missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if not Path(CHROMIUM).exists():
        return (
            f"Chromium is not installed at {CHROMIUM}: "
            "install Debian's package (`apt-get install chromium`) "
            "to run the browser tests"
        )
    import importlib.util

    if importlib.util.find_spec("playwright") is None:
        return "the Python package playwright is missing: `pip install -e '.[test]'`"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def served(
    timeout_s: float = 60.0,
    base: str | Path | None = None,
    script: Path = ROOT / "app_streamlit.py",
):
    """The app as ``make app`` serves it (``python -m app_pages.serve``), or ``streamlit run`` of
    another ``script``, on a free port (over the params file ``base``, default params/base.toml);
    yields its URL once it answers."""
    port = _free_port()
    streamlit = shutil.which("streamlit", path=str(Path(sys.executable).parent)) or "streamlit"
    command = (
        [sys.executable, "-m", "app_pages.serve"]
        if script == ROOT / "app_streamlit.py"
        else [streamlit, "run", str(script)]
    )
    proc = subprocess.Popen(
        [
            *command,
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--browser.gatherUsageStats",
            "false",
            *(["--", str(base)] if base is not None else []),
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                urllib.request.urlopen(f"{url}/_stcore/health", timeout=1)
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    err = proc.stderr.read().decode(errors="replace")[-2000:]
                    raise RuntimeError(f"the app did not start: {err}") from None
                time.sleep(0.05)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@contextlib.contextmanager
def browser():
    """A headless Debian Chromium under Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


def metric(page, label: str):
    """The value element of the KPI card whose label starts with ``label``."""
    card = page.locator('[data-testid="stMetric"]').filter(
        has=page.locator('[data-testid="stMetricLabel"]', has_text=label)
    )
    return card.first.locator('[data-testid="stMetricValue"]')


def wait_rendered(page, timeout_ms: float = 60_000, chart: bool = True) -> None:
    """Until the headline (and a chart) are on the page and the script has stopped running."""
    page.locator('[data-testid="stMetricValue"]').first.wait_for(timeout=timeout_ms)
    if chart:
        page.locator('[data-testid="stPlotlyChart"]').first.wait_for(timeout=timeout_ms)
    page.locator('[data-testid="stStatusWidget"]').wait_for(state="hidden", timeout=timeout_ms)


LEVER = "Imported concentrate refined [t/yr]"


ECONOMIC_LEVER = "Discount rate [%]"
"""A lever that re-runs the economics alone (the circuits come from the memo of solves)."""


def change_lever(page, value: str, lever: str = LEVER) -> None:
    box = page.get_by_role("spinbutton", name=lever, exact=True)
    box.fill(value)
    box.press("Enter")


BARE_PAGE = 'import streamlit as st\n\nst.metric("REO output", "1 t/yr")\n'
"""A bare Streamlit page with one figure: the floor of a cold start on this machine."""


def bench(runs: int = 3) -> None:
    """Cold start (``streamlit run`` to the first complete render of the overview, in an open
    browser), beside a bare Streamlit page started the same way, and a widget change (the
    concentrate lever) to the updated KPI, in Debian's Chromium."""
    import tempfile

    bare = Path(tempfile.mkdtemp()) / "bare.py"
    bare.write_text(BARE_PAGE)
    for i in range(runs):
        with browser() as b:
            page = b.new_page(viewport={"width": 1400, "height": 1000})
            t0 = time.perf_counter()
            with served(script=bare) as url:
                page.goto(url)
                wait_rendered(page, chart=False)
                floor = time.perf_counter() - t0
            t0 = time.perf_counter()
            with served() as url:
                page.goto(url)
                wait_rendered(page)
                cold = time.perf_counter() - t0
                changes = []
                for value in ("1000", "500", "1500"):
                    old = metric(page, "Nameplate").inner_text()
                    t1 = time.perf_counter()
                    change_lever(page, value)
                    wait_changed(page, "Nameplate", old)
                    changes.append(time.perf_counter() - t1)
                economic = []
                for value in ("8", "12", "9"):
                    old = metric(page, "NPV").inner_text()
                    t1 = time.perf_counter()
                    change_lever(page, value, ECONOMIC_LEVER)
                    wait_changed(page, "NPV", old)
                    economic.append(time.perf_counter() - t1)
        print(
            f"run {i + 1}: cold start to first render {cold:.2f} s (a bare page {floor:.2f} s, "
            f"{cold - floor:+.2f} s); to the KPI after the concentrate lever "
            + ", ".join(f"{c * 1000:.0f} ms" for c in changes)
            + "; after the discount rate "
            + ", ".join(f"{c * 1000:.0f} ms" for c in economic)
        )


_CHANGED = (
    """([label, old]) => [...document.querySelectorAll('[data-testid="stMetric"]')].some(card => {
    const l = card.querySelector('[data-testid="stMetricLabel"]'), """
    """v = card.querySelector('[data-testid="stMetricValue"]');
    return l && v && l.innerText.startsWith(label) && v.innerText !== old; })"""
)


def wait_changed(page, label: str, old: str, timeout_ms: float = 30_000) -> None:
    """Until the KPI card ``label`` shows something other than ``old`` (checked on every frame)."""
    page.wait_for_function(_CHANGED, arg=[label, old], timeout=timeout_ms)


if __name__ == "__main__":
    bench()
