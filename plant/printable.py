"""A one-page report of a scenario for managers: print-ready HTML (A4) with inline SVG charts.

It holds the verdict, the products with their specs (off spec flagged), coverage by element, the
cost and NPV, the build plan and two charts; the browser prints it or saves it as PDF. It is one
self-contained file: no script, no font or image fetched from anywhere. Text is in English or
Traditional Chinese (:mod:`plant.i18n`), money in USD or TWD.
"""

from __future__ import annotations

from html import escape

from plant import i18n, report
from plant.dashboard import Dashboard
from plant.uom import usd_to_twd

CHART_WIDTH, CHART_HEIGHT = 330, 190
"""Size of each chart [px at 96 dpi]: two side by side fit an A4 page's width."""
COST_LINES = 6
"""Lines of the levelised cost shown; the rest are summed as one."""

STYLE = """
@page { size: A4; margin: 12mm; }
body { font-family: "Noto Sans TC", "Microsoft JhengHei", "PingFang TC", sans-serif;
       font-size: 10.5pt; color: #222; max-width: 186mm; margin: 0 auto; }
h1 { font-size: 16pt; margin: 0 0 2pt; } h2 { font-size: 11.5pt; margin: 7pt 0 2pt; }
.sub { color: #555; margin: 0 0 6pt; }
.verdict { padding: 6pt 8pt; border-radius: 4pt; font-weight: bold; }
.met { background: #e3f4e6; border: 1pt solid #2e7d32; }
.short { background: #fff4e0; border: 1pt solid #e08a00; }
.flag { color: #b00020; font-weight: bold; margin: 5pt 0; }
.kpis { display: grid; grid-template-columns: repeat(4, 1fr); gap: 4pt; margin-top: 6pt; }
.kpi { border: 1pt solid #ccc; border-radius: 4pt; padding: 4pt 6pt; }
.kpi b { display: block; font-size: 12.5pt; } .kpi span { color: #555; font-size: 8.5pt; }
table { border-collapse: collapse; width: 100%; font-size: 9pt; }
th, td { border-bottom: 0.5pt solid #ccc; padding: 1pt 4pt; text-align: right; }
th:first-child, td:first-child { text-align: left; }
.cols { display: grid; grid-template-columns: 1fr 1fr; gap: 10pt; }
svg text { font-size: 8.5px; fill: #333; }
"""


def page(board: Dashboard, lang: str = i18n.DEFAULT, currency: str = "USD") -> str:
    """The report of ``board`` as one HTML page, in ``lang`` with money in ``currency``."""
    s = board.summary
    c, e = s["capacity"], s["economics"]
    t = _Text(lang, currency, board.twd_per_usd)
    year = f"{c['target_year']:.0f}"
    verdict = report.verdict(c, lang)
    flags = [
        t.tr(
            "{product}: {purity} % against a spec of {spec} %, off spec",
            product=t.product(name),
            purity=t.num(i18n.purity_percent(p["purity"]), 2),
            spec="—" if p["purity_spec"] is None else f"{p['purity_spec'] * 100:g}",
        )
        for name, p in s["products"].items()
        if not p["on_spec"]
    ]
    hot = report.radioactivity_sentence(s["residues"], lang)
    kpis = [
        (
            t.tr("On-spec REO output {year}", year=year),
            t.tr("{tonnes} t/yr", tonnes=t.num(c["on_spec_reo_t_per_yr"])),
        ),
        (t.tr("Demand covered {year}", year=year), f"{t.num(c['coverage_of_demand'] * 100, 1)} %"),
        (t.tr("Nameplate (REO eq.)"), t.tr("{tonnes} t/yr", tonnes=t.num(c["nameplate_t_per_yr"]))),
        (t.tr("Total capital investment"), t.money(e["capex_usd"])),
        (t.tr("Operating cost per year"), t.money(e["opex_usd_per_yr"])),
        (t.tr("Cost per kg REO (levelised)"), t.money(e["cost_usd_per_kg_reo"], "/kg", 1, "")),
        (t.tr("NPV"), t.money(e["npv_usd"])),
        (t.tr("IRR"), t.tr("none") if e["irr"] is None else f"{t.num(e['irr'] * 100, 1)} %"),
    ]
    body = [
        f"<h1>{t.h(t.tr('Rare-earth recycling plant'))}</h1>",
        f"<p class='sub'>{t.h(t.tr('Scenario'))}: <b>{t.h(s['scenario'])}</b> — "
        f"{t.h(board.description)}</p>",
        f"<div class='verdict {'met' if c['target_met'] else 'short'}'>{t.h(verdict)}</div>",
        *([f"<p class='flag'>{'<br>'.join(t.h(f) for f in flags)}</p>"] if flags else []),
        *([f"<p class='flag'>{t.h(t.tr('Radioactive: {what}', what=hot))}</p>"] if hot else []),
        "<div class='kpis'>"
        + "".join(f"<div class='kpi'><span>{t.h(k)}</span><b>{t.h(v)}</b></div>" for k, v in kpis)
        + "</div>",
        "<div class='cols'><div>",
        f"<h2>{t.h(t.tr('Output against the target [t/yr REO]'))}</h2>",
        _years_chart(c["by_year"], t),
        "</div><div>",
        f"<h2>{t.h(t.tr('What the levelised cost is made of [{unit}]', unit=t.unit('/kg')))}</h2>",
        _cost_chart(e, t),
        "</div></div>",
        "<div class='cols'><div>",
        f"<h2>{t.h(t.tr('Coverage by element in {year}', year=year))}</h2>",
        _elements_table(c, t),
        "</div><div>",
        f"<h2>{t.h(t.tr('Products at nameplate'))}</h2>",
        _products_table(s["products"], t),
        f"<h2>{t.h(t.tr('The plan'))}</h2>",
        _plan(c, t),
        "</div></div>",
    ]
    title = t.h(f"{t.tr('Report')} — {s['scenario']}")
    html_lang = "zh-Hant-TW" if lang == "zh-TW" else "en"
    return (
        f"<!DOCTYPE html><html lang='{html_lang}'><head><meta charset='utf-8'>"
        f"<title>{title}</title><style>{STYLE}</style></head><body>"
        + "\n".join(body)
        + "</body></html>"
    )


class _Text:
    """Words, numbers and money in one language and currency."""

    def __init__(self, lang: str, currency: str, twd_per_usd: float):
        self.lang, self.currency = lang, currency
        self.factor = float(usd_to_twd(1.0, twd_per_usd)) if currency == "TWD" else 1.0

    def tr(self, message: str, /, **values) -> str:
        return i18n.tr(message, self.lang, **values)

    def num(self, x: float, digits: int = 0) -> str:
        return i18n.number(x, digits, self.lang)

    def unit(self, per: str = "", scale: str = "") -> str:
        return i18n.money_unit(self.currency, self.lang, per, scale)

    def money(self, usd, per: str = "", digits: int = 1, scale: str = "M") -> str:
        amount = None if usd is None else float(usd) * self.factor
        return i18n.money(amount, self.currency, self.lang, per, digits, scale)

    def product(self, name: str) -> str:
        return i18n.product_name(name, self.lang)

    @staticmethod
    def h(text: str) -> str:
        return escape(str(text))


def _elements_table(c: dict, t: _Text) -> str:
    rows = [
        (e, x)
        for e, x in c["by_element"].items()
        if x["demand_t_per_yr"] > 0 or x["output_t_per_yr"] > 0
    ]
    head = (t.tr("Element"), t.tr("Demand t/yr"), t.tr("On-spec output t/yr"), t.tr("Coverage"))
    body = [
        (
            t.tr("other") if e == "other" else e,
            t.num(x["demand_t_per_yr"], 1),
            t.num(x["output_t_per_yr"], 1),
            f"{t.num(x['coverage'] * 100, 1)} %",
        )
        for e, x in rows
    ]
    return _table(head, body, t)


def _products_table(products: dict, t: _Text) -> str:
    head = (t.tr("Product"), t.tr("t/yr"), t.tr("Purity"), t.tr("Spec"), "")
    body = [
        (
            t.product(name),
            t.num(p["t_per_yr"], 1),
            f"{t.num(i18n.purity_percent(p['purity']), 2)} %",
            "—" if p["purity_spec"] is None else f"{p['purity_spec'] * 100:g} %",
            t.tr("on spec") if p["on_spec"] else t.tr("off spec"),
        )
        for name, p in products.items()
    ]
    return _table(head, body, t)


def _table(head: tuple, rows: list[tuple], t: _Text) -> str:
    out = "<table><tr>" + "".join(f"<th>{t.h(x)}</th>" for x in head) + "</tr>"
    for row in rows:
        out += "<tr>" + "".join(f"<td>{t.h(x)}</td>" for x in row) + "</tr>"
    return out + "</table>"


def _plan(c: dict, t: _Text) -> str:
    """The build schedule (each step of installed capacity) and what meeting the target takes."""
    years = c["by_year"]
    steps, last = [], 0.0
    for y, x in zip(years["year"], years["installed_t_per_yr"]):
        if x > last * (1 + 1e-9) + 1e-12:
            steps.append(
                t.tr("{year}: {tonnes} t/yr installed", year=f"{y:.0f}", tonnes=t.num(x, 1))
            )
        last = x
    lines = steps or [t.tr("Nothing is built in the plant's life.")]
    if not c["target_met"]:
        lines.append(
            t.tr(
                "To meet the target in {year} on this build schedule takes a nameplate of "
                "{nameplate} t/yr and {feed} t/yr of feed in the design mix.",
                year=f"{c['target_year']:.0f}",
                nameplate=t.num(c["nameplate_needed_t_per_yr"]),
                feed=t.num(c["feed_needed_t_per_yr"]),
            )
        )
    return "<ul>" + "".join(f"<li>{t.h(x)}</li>" for x in lines) + "</ul>"


def _years_chart(years: dict, t: _Text) -> str:
    """On-spec output (bars), the target and demand (lines) by year."""
    w, h, left, bottom, top = CHART_WIDTH, CHART_HEIGHT, 40, 18, 8
    ys = years["year"]
    series = {
        "on": years["on_spec_reo_t_per_yr"],
        "target": years["target_t_per_yr"],
        "demand": years["demand_t_per_yr"],
    }
    peak = max(max(v) for v in series.values()) or 1.0
    step = _tick(peak)
    ymax = step * -(-peak // step)
    plot_w, plot_h = w - left - 4, h - bottom - top
    bw = plot_w / max(len(ys), 1)

    def y(v):
        return top + plot_h * (1 - v / ymax)

    parts = [f"<svg xmlns='http://www.w3.org/2000/svg' width='{w}' height='{h + 16}'>"]
    tick = 0.0
    while tick <= ymax * (1 + 1e-9):
        parts.append(
            f"<line x1='{left}' x2='{w - 4}' y1='{y(tick):.1f}' y2='{y(tick):.1f}' stroke='#ddd'/>"
            f"<text x='{left - 3}' y='{y(tick) + 3:.1f}' text-anchor='end'>{t.num(tick)}</text>"
        )
        tick += step
    for i, (yr, v) in enumerate(zip(ys, series["on"])):
        x = left + i * bw
        parts.append(
            f"<rect x='{x + 0.15 * bw:.1f}' y='{y(v):.1f}' width='{0.7 * bw:.1f}' "
            f"height='{top + plot_h - y(v):.1f}' fill='#2e8b57'/>"
        )
        if i % 5 == 0:
            parts.append(
                f"<text x='{x + bw / 2:.1f}' y='{h - 4}' text-anchor='middle'>{yr:.0f}</text>"
            )
    for key, colour, dash in (("target", "#c62828", "4 3"), ("demand", "#222", "")):
        pts = " ".join(f"{left + (i + 0.5) * bw:.1f},{y(v):.1f}" for i, v in enumerate(series[key]))
        parts.append(
            f"<polyline points='{pts}' fill='none' stroke='{colour}' stroke-width='1.5' "
            f"stroke-dasharray='{dash}'/>"
        )
    legend = (
        ("#2e8b57", t.tr("On-spec output")),
        ("#c62828", t.tr("Target")),
        ("#222", t.tr("Domestic demand")),
    )
    for i, (colour, label) in enumerate(legend):
        x = left + i * 95
        parts.append(
            f"<rect x='{x}' y='{h + 5}' width='10' height='6' fill='{colour}'/>"
            f"<text x='{x + 13}' y='{h + 11}'>{t.h(label)}</text>"
        )
    return "".join(parts) + "</svg>"


def _cost_chart(e: dict, t: _Text) -> str:
    """The largest lines of the levelised cost as horizontal bars, the rest as one."""
    lines = sorted(e["cost_breakdown_usd_per_kg_reo"].items(), key=lambda kv: -abs(kv[1]))
    shown = lines[:COST_LINES]
    rest = sum(x for _, x in lines[COST_LINES:])
    if lines[COST_LINES:]:
        shown.append((t.tr("other lines"), rest))
    w, label_w, row = CHART_WIDTH, 120, 22
    peak = max(abs(x) for _, x in shown) or 1.0
    parts = [
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{w}' height='{row * len(shown) + 4}'>"
    ]
    for i, (name, usd) in enumerate(shown):
        value = usd * t.factor
        bar = (w - label_w - 50) * abs(usd) / peak
        yy = i * row + 2
        words = t.h(i18n.label(name, t.lang)[:26])
        parts.append(
            f"<text x='{label_w - 4}' y='{yy + 13}' text-anchor='end'>{words}</text>"
            f"<rect x='{label_w}' y='{yy + 4}' width='{bar:.1f}' height='{row - 8}' "
            "fill='#1f77b4'/>"
            f"<text x='{label_w + bar + 3:.1f}' y='{yy + 13}'>{t.num(value, 1)}</text>"
        )
    return "".join(parts) + "</svg>"


def _tick(peak: float) -> float:
    """A round step for about four gridlines up to ``peak``."""
    raw = peak / 4
    power = 10 ** (len(f"{int(raw)}") - 1) if raw >= 1 else 1.0
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
