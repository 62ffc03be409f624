"""The capital estimate against public plants (docs/BENCHMARK.md): a guard against an error of an
order of magnitude, not a target to tune to."""

from plant import report


def test_capital_intensity_within_public_plants_white_mesa_to_ionic_belfast(base_eval):
    # public separation and magnet-recycling plants span 16 kUSD per t/yr (Energy Fuels White
    # Mesa Phase 1, retrofit: 16 MUSD for ~1,000 t NdPr oxide, mining.com Jun 2024) to 272
    # (Ionic Technologies Belfast: US$108.7 M for 400 t REO, Engineering News Nov 2024)
    s = report.summary(base_eval)
    low, high = s["economics"]["capex_range_usd"]
    t_per_yr = s["capacity"]["nameplate_t_per_yr"]
    assert 16e3 <= low / t_per_yr and high / t_per_yr <= 272e3


def test_plant_staff_within_jobs_announced_ucore_to_cyclic_mcbee(base_eval):
    # direct jobs per 1,000 t/yr of oxide announced: Ucore 100 for 2,000 t (Louisiana Economic
    # Development, Apr 2023) to Cyclic McBee 91 for 600 t (mining.com, Jan 2026): 50 to 152
    s = report.summary(base_eval)
    h = s["economics"]["headcount"]
    plant_staff = h["total"] - h["by_role"]["disassembly"]
    per_kt = plant_staff / s["capacity"]["nameplate_t_per_yr"] * 1000.0
    assert 50 <= per_kt <= 152
