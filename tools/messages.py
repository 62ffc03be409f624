"""Keep the Traditional Chinese catalogue in step with the code: ``python tools/messages.py`` (or
``make messages``).

A message is the English text of a ``tr(...)`` or ``N_(...)`` call in the app or the package
(found in the syntax tree, so also inside f-strings), or a name the model gives that the app shows
through ``i18n.label`` (cost lines, plant areas, units, table columns, uncertain inputs: found by
evaluating the base case and every bundled scenario). New messages go into
``plant/locale/zh_TW/LC_MESSAGES/plant.po`` with an empty translation, to be filled in; messages no
longer used are dropped. ``tests/test_i18n.py`` fails while a message lacks its translation.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "plant" / "locale" / "zh_TW" / "LC_MESSAGES" / "plant.po"
MARKERS = ("tr", "N_")
"""Calls whose first argument is a message: ``tr``, ``i18n.tr``, ``t.tr``, ``N_``."""
MODEL_NAME = "a name the model gives"
"""The comment on catalogue entries that come from the model's results rather than the code."""


def sources() -> list[Path]:
    """The files whose messages people read: the app and the package."""
    return [ROOT / "app_streamlit.py", *sorted((ROOT / "app_pages").glob("*.py"))] + sorted(
        (ROOT / "plant").rglob("*.py")
    )


def code_messages(paths: list[Path] | None = None) -> dict[str, list[tuple[str, int]]]:
    """Message -> where it is used (file relative to the project, line)."""
    found: dict[str, list[tuple[str, int]]] = {}
    for path in paths or sources():
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            f = node.func
            name = (
                f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""
            )
            first = node.args[0]
            if name in MARKERS and isinstance(first, ast.Constant) and isinstance(first.value, str):
                where = (str(path.relative_to(ROOT)), node.lineno)
                found.setdefault(first.value, []).append(where)
    return found


def model_names(scenarios: list[Path | None] | None = None) -> set[str]:
    """The names the app shows through ``i18n.label`` for the base case and each bundled
    scenario (or those given: None is the base case)."""
    sys.path.insert(0, str(ROOT))
    from plant import dashboard, diagram, model, tuning
    from plant.analysis import batch, montecarlo

    names: set[str] = set()

    def add(x) -> None:
        names.add(str(x).replace("_", " "))

    runs = scenarios or [None, *sorted((ROOT / "params" / "scenarios").glob("*.toml"))]
    for scenario in runs:
        p, doc = model.load(*([scenario] if scenario else []))
        ev = model.evaluate(p)
        board = dashboard.build(ev)
        e, c, t = board.summary["economics"], board.summary["capacity"], board.tables
        for group in (
            e["cost_breakdown_usd_per_kg_reo"],
            e["capex_by_area_usd"],
            e["headcount"]["by_role"],
            c["supplies"],
            t["capex"]["line"],
            t["opex"]["line"],
            t["opex"]["category"],
            t["cashflow"]["phase"],
            dashboard.sx_stages(ev, 0.995, 0.99).columns,
            tuning.sections(list(tuning.tunables(model.Params, doc))),
            [i.dist.label for i in montecarlo.inputs_of(p)],
        ):
            for x in group:
                add(x)
        for table in ("capex", "equipment", "opex", "cost_breakdown", "cashflow"):
            for x in t[table].columns:
                add(x)
        for unit in (set(board.links["from"]) | set(board.links["to"])) - {"feed", "output"}:
            add(diagram.unit_kind(unit)[0])
    for label, _unit in batch.OUTPUTS.values():
        add(label)
    return names


HEADER = """\
# Traditional Chinese (Taiwan) words of the plant model's app and printable report.
# Kept in step with the code by tools/messages.py; an empty msgstr shows in English."""


def catalogue(translations: dict[str, str]):
    """The catalogue of every message in use, each with its entry of ``translations`` (or
    empty)."""
    from babel.messages.catalog import Catalog

    out = Catalog(
        locale="zh_TW",
        domain="plant",
        header_comment=HEADER,
        project="plant",
        version="",
        language_team="zh-TW",
        fuzzy=False,
    )
    code = code_messages()
    for msgid in sorted(set(code) | model_names()):
        out.add(
            msgid,
            translations.get(msgid, ""),
            locations=code.get(msgid, ()),
            auto_comments=() if msgid in code else (MODEL_NAME,),
        )
    return out


def main() -> int:
    from babel.messages.pofile import read_po, write_po

    with CATALOGUE.open("rb") as f:
        old = {m.id: m.string for m in read_po(f) if m.id}
    new = catalogue(old)
    with CATALOGUE.open("wb") as f:
        write_po(f, new, width=100, sort_output=True, include_lineno=False)
    missing = [m.id for m in new if m.id and not m.string]
    print(f"{CATALOGUE.relative_to(ROOT)}: {len(new)} messages, {len(missing)} to translate")
    for m in missing:
        print(f"  {m!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
