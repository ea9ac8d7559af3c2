"""Strings of the charts' hovers (key prefix ``chf.``)."""
from __future__ import annotations

STRINGS = {
    # "name : value" in a hover: French puts a space before the colon
    "chf.pair": {"fr": "{name} : {value}", "en": "{name}: {value}"},
    # a bar's spending and its execution rate: "1 357 947 € (91 %)"
    "chf.spent": {"fr": "{money} ({percent} du budget)", "en": "{money} ({percent} of budget)"},
    # a grant's period in the timeline's hover
    "chf.period": {"fr": "{start} → {end}", "en": "{start} → {end}"},
}
