"""The staffing plan: headcount by role and area, and the labour lines it pays for."""

import numpy as np
import pytest

from plant.costing.economics import evaluate
from plant.costing.staffing import ROLES, loaded_pay
from plant.params import with_values


def test_headcount_adds_up_by_role_and_by_area(base_eval):
    staff = base_eval.economics.opex.staffing
    s = staff.summary()
    assert set(s["by_role"]) == set(ROLES)
    assert s["total"] == pytest.approx(sum(s["by_role"].values()))
    assert sum(s["operators_by_equipment_group"].values()) == pytest.approx(
        s["by_role"]["operators"]
    )
    assert s["by_role"]["disassembly"] == pytest.approx(
        float(base_eval.economics.opex.disassembly_workers)
    )


def test_labour_lines_pay_the_heads_of_the_plan(base, base_eval):
    o, lab = base_eval.economics.opex, base.economics.labour
    head = o.staffing.role
    assert o.lines["operating labour"] == pytest.approx(
        head["operators"] * loaded_pay(lab, "operators")
    )
    assert o.lines["supervision"] == pytest.approx(
        head["supervision"] * loaded_pay(lab, "supervision")
    )
    assert o.lines["laboratory and QA"] == pytest.approx(
        head["laboratory"] * loaded_pay(lab, "laboratory")
    )
    # the maintenance technicians are paid out of the maintenance line, not twice
    assert head["maintenance"] * loaded_pay(lab, "maintenance") == pytest.approx(
        o.lines["maintenance"] * lab.maintenance_labour_share
    )


def test_a_second_crew_member_per_position_raises_operators_in_proportion(base, base_eval):
    crews = base.economics.labour.crews
    more = with_values(base, {"economics.labour.crews": np.array([crews, 2 * crews])})
    ev = evaluate(base_eval.flowsheet, base_eval.energy, more.economics)
    ops = np.asarray(ev.opex.staffing.role["operators"])
    assert ops[1] == pytest.approx(2 * ops[0])
    sup = np.asarray(ev.opex.staffing.role["supervision"])
    day = base.economics.labour.supervision_day_staff
    assert sup[1] - day == pytest.approx(2 * (sup[0] - day))


def test_headcount_is_in_the_json(base_eval):
    from plant import report

    h = report.summary(base_eval)["economics"]["headcount"]
    assert h["total"] > h["by_role"]["operators"] > 0
