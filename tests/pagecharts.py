"""Read what a page drew in AppTest: plotly figures (by title), pydeck maps and tables, as plain data."""
from __future__ import annotations

import base64
import json
import math

import numpy as np
from streamlit.testing.v1 import AppTest


def values(v) -> list:
    """A plotly array as a list (plotly encodes numeric arrays as typed base64 ``bdata``)."""
    if isinstance(v, dict) and "bdata" in v:
        return np.frombuffer(base64.b64decode(v["bdata"]), dtype=np.dtype(v["dtype"])).tolist()
    return list(v) if v is not None else []


def figures(at: AppTest) -> list[dict]:
    return [json.loads(p.proto.spec) for p in at.get("plotly_chart")]


def figure(at: AppTest, subject: str) -> dict:
    """The one plotly figure whose title starts with ``subject``."""
    found = [f for f in figures(at) if f["layout"]["title"]["text"].startswith(subject)]
    assert len(found) == 1, [f["layout"]["title"]["text"] for f in figures(at)]
    return found[0]


def decks(at: AppTest) -> list[dict]:
    return [json.loads(d.proto.json) for d in at.get("deck_gl_json_chart")]


def layer(deck: dict, layer_id: str) -> dict:
    """The layer ``layer_id`` of a deck's JSON."""
    (found,) = [item for item in deck["layers"] if item["id"] == layer_id]
    return found


def table(at: AppTest, column: str):
    """The one dataframe (or static table) shown with ``column``, its values as sent."""
    found = [d.value for d in [*at.dataframe, *at.table] if column in d.value.columns]
    assert len(found) == 1, [list(d.value.columns) for d in [*at.dataframe, *at.table]]
    return found[0]


def same(shown, expected, tol: float = 1e-9) -> bool:
    """A shown cell equals a kpis figure: both missing (None / NaN), or equal numbers."""
    missing = shown is None or (isinstance(shown, float) and math.isnan(shown))
    if expected is None:
        return missing
    if isinstance(expected, str) or isinstance(shown, str):
        return shown == expected
    return not missing and abs(float(shown) - float(expected)) <= tol
