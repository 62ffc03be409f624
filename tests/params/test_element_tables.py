"""Tables keyed by element: any element of the species file, a 'default' for the ones not listed,
and a clear refusal naming the element when a feed carries one the table lacks."""

import pickle

import numpy as np
import pytest

from plant import model
from plant.errors import ParamError
from plant.params import with_values
from plant.paths import BASE_PARAMS
from plant.stream import Stream
from plant.units import concentrate_dissolution, leaching


def test_a_typo_in_an_element_key_is_refused_with_a_suggestion():
    with pytest.raises(ParamError) as e:
        model.load_params(overrides=["leaching.dissolution_oxide.Ndd=0.9"])
    msg = str(e.value)
    assert "leaching.dissolution_oxide.Ndd" in msg and "did you mean 'Nd'" in msg


def test_default_applies_to_elements_the_table_does_not_list(reg, write_toml):
    # a base file whose leaching table lists no Cu but says what holds for unlisted elements
    text = BASE_PARAMS.read_text()
    head, sep, tail = text.partition("[leaching.dissolution_oxide]")
    table, rest = tail.split("\n\n", 1)
    table = "\n".join(line for line in table.split("\n") if not line.startswith("Cu "))
    own = write_toml(head + sep + table + "\ndefault = 0.25\n\n" + rest, "base.toml")
    p = model.load_params(base=own).leaching
    assert "Cu" not in p.dissolution_oxide and p.dissolution_oxide.of("Cu") == 0.25
    feed = Stream.from_moles({"CuO": 1.0}, registry=reg)
    r = leaching.run(feed, p)
    assert r.outlets["slurry"]["CuCl2(aq)"] == pytest.approx(0.25)


def test_an_element_the_table_lacks_is_refused_only_when_the_feed_carries_it(base, reg):
    table = base.concentrate_dissolution.dissolution_oxide
    p = base.concentrate_dissolution
    p = type(p)(
        **{
            **p.__dict__,
            "dissolution_oxide": type(table)(
                {e: v for e, v in table.items() if e != "Al"},
                None,
                "concentrate.toml",
                "concentrate_dissolution.dissolution_oxide",
            ),
        }
    )
    # no Al in the feed: no question asked
    clean = Stream.from_moles({"Nd2O3": 1.0}, registry=reg)
    assert concentrate_dissolution.run(clean, p, "HCl").imbalance() < 1e-12
    with pytest.raises(ParamError) as e:
        concentrate_dissolution.run(
            Stream.from_moles({"Nd2O3": 1.0, "Al2O3": 0.1}, registry=reg), p, "HCl"
        )
    msg = str(e.value)
    assert "concentrate.toml" in msg and "concentrate_dissolution.dissolution_oxide.Al" in msg
    assert "'default' entry" in msg


def test_with_values_sets_an_element_or_the_default_as_a_batch(base):
    p = with_values(
        base,
        {
            "leaching.dissolution_oxide.default": np.array([0.1, 0.2]),
            "leaching.dissolution_oxide.Fe": np.array([0.2, 0.3]),
        },
    )
    table = p.leaching.dissolution_oxide
    assert table.default.tolist() == [0.1, 0.2] and table["Fe"].tolist() == [0.2, 0.3]
    assert base.leaching.dissolution_oxide.default is None  # the original is untouched
    with pytest.raises(ParamError, match="unknown element 'Xx'"):
        with_values(base, {"leaching.dissolution_oxide.Xx": 0.5})
    assert pickle.loads(pickle.dumps(table)) == table
