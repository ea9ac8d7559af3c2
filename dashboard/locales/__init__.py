"""Per-page string catalogues. Each module here defines ``STRINGS: dict[key, {"fr": ..., "en": ...}]``;
:mod:`dashboard.i18n` merges them all into its catalogue (a key defined twice is an error)."""
from __future__ import annotations

import importlib
import pkgutil


def collect() -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        strings = importlib.import_module(f"{__name__}.{info.name}").STRINGS
        clash = set(strings) & set(merged)
        if clash:
            raise ValueError(f"catalogue keys defined twice ({info.name}): {sorted(clash)}")
        merged.update(strings)
    return merged
