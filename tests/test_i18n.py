"""Both languages: every message of the app and the report has its Traditional Chinese, with the
same fields; no label reaches the page without going through the catalogue; numbers follow the
locale."""

from __future__ import annotations

import ast
import re
import string
import sys
from pathlib import Path

import pytest

from plant import i18n, model, report

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import messages  # noqa: E402

ZH = "zh-TW"
SHOWN = {
    "button",
    "caption",
    "checkbox",
    "download_button",
    "error",
    "expander",
    "file_uploader",
    "form_submit_button",
    "header",
    "info",
    "markdown",
    "metric",
    "multiselect",
    "number_input",
    "radio",
    "segmented_control",
    "selectbox",
    "spinner",
    "subheader",
    "success",
    "tabs",
    "text_input",
    "title",
    "toast",
    "toggle",
    "warning",
    "write",
}
"""Streamlit calls whose text arguments a person reads."""
TEXT_KEYWORDS = {"label", "help", "title", "name", "text", "xaxis_title", "yaxis_title"}
LANGUAGE_SWITCH = "Language / 語言"
NOT_SHOWN = {"__init__", "launch", "serve"}
"""Modules of app_pages that show nothing: the browser tests' launcher and the server's warm-up."""
SYMBOLS = {"pH", "P"}
"""Words that read the same in both languages: pH, and P in P10 and P90."""


def fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f is not None}


def test_every_message_in_the_code_has_its_translation_with_the_same_fields():
    translated = i18n.catalogue(ZH)
    found = messages.code_messages()
    assert len(found) > 300
    missing = [m for m in found if m not in translated]
    assert not missing, f"untranslated (run `make messages`, then translate): {missing}"
    wrong = [m for m in found if fields(translated[m]) != fields(m)]
    assert not wrong, f"translations whose {{fields}} differ from the English: {wrong}"


def test_the_names_the_model_gives_are_translated():
    """Cost lines, areas, units, columns and inputs of the base case and the concentrate scenario
    (``make messages`` collects those of every bundled scenario)."""
    names = messages.model_names([None, ROOT / "params" / "scenarios" / "concentrate.toml"])
    missing = sorted(n for n in names if n not in i18n.catalogue(ZH))
    assert not missing, f"untranslated model names (run `make messages`): {missing}"


def _words(text: str) -> bool:
    return bool(set(re.findall(r"[A-Za-z]+", text)) - SYMBOLS) and text != LANGUAGE_SWITCH


def _literal_text(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return _words(node.value)
    return isinstance(node, ast.JoinedStr) and any(
        isinstance(v, ast.Constant) and _words(v.value) for v in node.values
    )


PAGE_SCRIPTS = [
    ROOT / "app_streamlit.py",
    *(p for p in sorted((ROOT / "app_pages").glob("*.py")) if p.stem not in NOT_SHOWN),
]
"""The scripts Streamlit runs, and shared.py, whose text they show."""


@pytest.mark.parametrize("path", PAGE_SCRIPTS, ids=str)
def test_no_text_reaches_the_page_untranslated(path):
    """Every label, help text, chart title and legend name goes through ``tr`` (a literal or an
    f-string with words in it, passed straight to Streamlit or to a chart, is English only)."""
    tree = ast.parse(path.read_text())
    bad = [  # Streamlit's magic shows a bare string of a page script (after its docstring)
        f"line {s.lineno}: a bare string is shown on the page"
        for s in tree.body[1:]
        if isinstance(s, ast.Expr)
        and isinstance(s.value, ast.Constant)
        and path.name != "shared.py"
    ]
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        method = node.func.attr
        args = [*node.args] if method in SHOWN else []
        args += [k.value for k in node.keywords if k.arg in TEXT_KEYWORDS]
        if method in ("download_button", "file_uploader"):
            args = args[:1] + [k.value for k in node.keywords if k.arg == "help"]
        if method == "plotly_chart" or method.startswith("add_"):
            args = [k.value for k in node.keywords if k.arg in ("name", "title")]
        bad += [f"line {node.lineno}: {ast.unparse(a)[:60]}" for a in args if _literal_text(a)]
    assert not bad, f"{path.name}: text not through tr(): {bad}"


def test_the_catalogue_has_no_unused_entry_from_the_code():
    """A message the code no longer uses is dropped (``make messages``), not left to rot: only
    entries marked as the model's names may be absent from the code."""
    from babel.messages.pofile import read_po

    with i18n.catalogue_path(ZH).open("rb") as f:
        entries = [m for m in read_po(f) if m.id]
    code = messages.code_messages()
    stale = [
        m.id for m in entries if m.id not in code and messages.MODEL_NAME not in m.auto_comments
    ]
    assert not stale


def test_the_verdict_in_both_languages(base):
    c = report.summary(model.evaluate(base))["capacity"]
    en, zh = report.verdict(c), report.verdict(c, ZH)
    assert en.startswith("Short of the target (50 % of demand) by ")
    year = f"{c['target_year']:.0f}"
    short = report.tonnes(c["shortfall_t_per_yr"])
    assert zh.startswith(f"{year} 年距目標（需求的 50 %）尚差 {short} 公噸/年")
    assert "受產能限制" in zh and zh.endswith("。")


def test_numbers_and_money_follow_the_language():
    assert i18n.number(1234567.891, 2) == "1,234,567.89"
    assert i18n.number(1234567.891, 2, ZH) == "1,234,567.89"  # Taiwan groups by thousands too
    assert i18n.money(121.54e6, "USD") == "121.5 MUSD"
    assert i18n.money(121.54e6, "USD", ZH) == "121.5 百萬美元"
    assert i18n.money(117.6, "TWD", ZH, "/kg", 1, "") == "117.6 元/公斤"  # 元: NT$ in Taiwan
    assert i18n.money(None, "USD", ZH) == "不適用"
    assert i18n.product_name("NdPr_oxide") == "NdPr oxide"
    assert i18n.product_name("Tb_oxide", ZH) == "Tb 氧化物"


def test_a_language_from_the_address_is_read_leniently():
    assert i18n.language("zh-TW") == ZH
    assert i18n.language("zh_tw") == ZH
    assert i18n.language("en") == "en"
    assert i18n.language("fr") == "en"
    assert i18n.language(None) == "en"
    with pytest.raises(ValueError, match="expected one of en, zh-TW"):
        i18n.catalogue("fr")


def test_a_purity_is_cut_never_rounded_up_to_its_spec_or_to_100():
    assert i18n.purity_percent(0.99998) == 99.99
    assert i18n.purity_percent(0.99497) == 99.49  # off spec at 99.5 %: never shown as 99.50
    assert i18n.purity_percent(0.995) == 99.5  # exactly at the spec stays there
    assert i18n.purity_percent(1.0) == 100.0
