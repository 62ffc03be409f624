"""Words and numbers for people, in English or Traditional Chinese (zh-TW).

A message is its English text, with ``{name}`` fields for the values; :func:`tr` gives it in the
chosen language from the gettext catalogue ``plant/locale/zh_TW/LC_MESSAGES/plant.po`` (read with
Babel, so that no compiled ``.mo`` file is kept in the repository) and fills in the fields. A
message missing from the catalogue is shown in English: ``tests/test_i18n.py`` finds every message
the app and the report use and fails on one without its translation.

Numbers go through :func:`number` (Babel's formats for the locale): digit grouping and the decimal
sign follow the language.
"""

from __future__ import annotations

import math
from functools import cache
from importlib.resources import files

from babel.messages.pofile import read_po
from babel.numbers import format_decimal

LANGUAGES = {"en": "English", "zh-TW": "繁體中文"}
"""Language code (as in ``?lang=`` of the app's address) -> its name in itself."""
DEFAULT = "en"
LOCALES = {"en": "en_US", "zh-TW": "zh_Hant_TW"}
"""Language code -> Babel locale for numbers."""
DOMAIN = "plant"


def catalogue_path(lang: str):
    """The gettext catalogue of ``lang`` (a Traversable inside the package)."""
    return files("plant") / "locale" / lang.replace("-", "_") / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def catalogue(lang: str) -> dict[str, str]:
    """English message -> its translation into ``lang`` (empty for English); fuzzy and empty
    entries are left out, so that they show in English."""
    if lang == DEFAULT:
        return {}
    if lang not in LANGUAGES:
        raise ValueError(f"language {lang!r}: expected one of {', '.join(LANGUAGES)}")
    with catalogue_path(lang).open("rb") as f:
        entries = read_po(f, locale=LOCALES[lang].replace("_Hant", ""), domain=DOMAIN)
    return {m.id: m.string for m in entries if m.id and m.string and not m.fuzzy}


def N_(message: str) -> str:
    """``message`` as it is, marked for translation (gettext's convention): for a message kept in a
    table and translated with :func:`tr` where it is shown."""
    return message


def tr(message: str, lang: str = DEFAULT, /, **values) -> str:
    """``message`` in ``lang`` with its ``{fields}`` filled from ``values``."""
    text = catalogue(lang).get(message, message) if lang != DEFAULT else message
    return text.format(**values) if values else text


def translator(lang: str):
    """:func:`tr` bound to ``lang``: ``tr = translator(lang)``, then ``tr("{n} people", n=3)``."""
    return lambda message, /, **values: tr(message, lang, **values)


def language(code: str | None) -> str:
    """A language code as given (``zh-TW``, ``zh_tw``, ``en``...) -> one of :data:`LANGUAGES`;
    anything else is English."""
    wanted = (code or "").replace("_", "-").lower()
    return next((k for k in LANGUAGES if k.lower() == wanted), DEFAULT)


def number(x: float, digits: int = 0, lang: str = DEFAULT) -> str:
    """``x`` with ``digits`` decimals and the locale's digit grouping."""
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    return format_decimal(x, format=pattern, locale=LOCALES[lang])


def purity_percent(share: float, digits: int = 2) -> float:
    """A purity ``share`` [-] in per cent, cut (not rounded) to ``digits`` decimals: a product at
    99.998 % reads 99.99 and one at 99.497 % reads 99.49, never its spec or 100."""
    scale = 10.0**digits
    return math.floor(float(share) * 100.0 * scale + 1e-9) / scale


SCALES = {"M": 1e6, "k": 1e3, "": 1.0}
"""Money scales: millions, thousands, units."""
UNIT_WORDS = (N_("M"), N_("k"), N_("USD"), N_("TWD"), N_("/kg"), N_("/yr"))
"""The parts of a unit of money (:func:`money_unit`), marked for translation."""


def money(
    amount: float | None,
    currency: str,
    lang: str = DEFAULT,
    per: str = "",
    digits: int = 1,
    scale: str = "M",
) -> str:
    """An ``amount`` already in ``currency`` ('USD' or 'TWD'), in millions ('M'), thousands ('k')
    or as it is (''), per ``per`` ('/kg', '/yr' or ''): '121.5 MUSD' or '121.5 百萬美元'."""
    if amount is None:
        return tr("n/a", lang)
    return (
        f"{number(amount / SCALES[scale], digits, lang)} {money_unit(currency, lang, per, scale)}"
    )


def money_unit(currency: str, lang: str = DEFAULT, per: str = "", scale: str = "") -> str:
    """The unit of money: 'MUSD/yr', 'USD/kg', '百萬美元/年'..."""
    return "".join(tr(x, lang) for x in (scale, currency, per) if x)


PRODUCT_KINDS = {"oxide": N_("{elements} oxide"), "magnet": N_("{elements} magnet")}
"""A product name's last word -> how people name the product."""


def product_name(name: str, lang: str = DEFAULT) -> str:
    """A product's name for people: 'NdPr_oxide' -> 'NdPr oxide', 'NdPr 氧化物'."""
    head, _, kind = name.rpartition("_")
    if kind in PRODUCT_KINDS:
        return tr(PRODUCT_KINDS[kind], lang, elements=head)
    return name.replace("_", " ")


def label(name: str, lang: str = DEFAULT) -> str:
    """A name the model gives (a cost line, a plant area, a supply: 'reagent: oxalic_acid') in
    words of ``lang``; one the catalogue lacks is shown in English, its underscores as spaces."""
    return tr(name.replace("_", " "), lang)


LIMITED_BY = {
    "capacity": N_("capacity-limited"),
    "feed": N_("feed-limited"),
    "off spec": N_("limited by off-spec product"),
    "not built": N_("not built by then"),
}
"""What holds output below a target (the JSON's ``limited_by``) -> in words."""


def limited_by(limit: str, lang: str = DEFAULT) -> str:
    """``limited_by`` of the JSON in words."""
    return tr(LIMITED_BY[limit], lang) if limit in LIMITED_BY else f"{limit}-limited"
