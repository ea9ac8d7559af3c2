"""Data of the country-progress page: the logframe tree with its indicator rows, the results x
countries progress matrix, and small-cell suppression of indicator rows that count people.

Pure functions over ``kpis["indicators"]`` (docs/METRICS.md "Logframe progress") and the logframe
and indicator definitions: no Streamlit, no database.
"""
from __future__ import annotations

import re

from .i18n import fmt_number
from .metrics import logframe as ml
from .metrics import training as mt
from .metrics.thresholds import DEFAULT, Thresholds

#: The country picker's value for "all countries".
ALL = ""
#: Column keys of the results x countries matrix besides ISO3 codes.
REGIONAL = "_regional"
PROGRAMME = "_programme"
#: Statuses whose achievement and pace the page does not show: nothing to compare yet.
NOT_COMPARED = (ml.NON_REPORTING, ml.NOT_DUE)


def natural_key(code: str) -> tuple:
    """Sort key reading numbers as numbers: A1.2.10 after A1.2.9."""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", code))


def tree(nodes: list[dict]) -> list[dict]:
    """The logframe nodes (``code``, ``level``, ``parent_code``, ``title``) in tree order
    (depth first, siblings by code), each with its ``depth`` (0 for the goal). A node whose
    parent is unknown is a root."""
    codes = {n["code"] for n in nodes}
    children: dict[str | None, list[dict]] = {}
    for node in nodes:
        parent = node.get("parent_code") if node.get("parent_code") in codes else None
        children.setdefault(parent, []).append(node)
    ordered: list[dict] = []

    def visit(parent, depth):
        for node in sorted(children.get(parent, []), key=lambda n: natural_key(n["code"])):
            ordered.append({**node, "depth": depth})
            visit(node["code"], depth + 1)

    visit(None, 0)
    return ordered


def shown_achievement(row: dict):
    """The achievement the page shows: none for a row that is non_reporting or not_due (never 0 %)."""
    return None if row["status"] in NOT_COMPARED else row["achievement"]


def shown_pace(row: dict):
    return None if row["status"] in NOT_COMPARED else row["pace"]


def table_rows(nodes: list[dict], rows: list[dict], definitions: list[dict]) -> list[dict]:
    """The logframe tree with the indicator rows under their node, in tree order.

    Node entries: ``{"kind": "node", "code", "level", "title", "depth"}``. Indicator entries:
    ``{"kind": "indicator", "node", "depth", "label", "unit", **row}`` for each of ``rows`` (kpis
    indicator rows, in their order) whose indicator is linked to that node.
    """
    defs = {d["code"]: d for d in definitions}
    by_node: dict[str, list[dict]] = {}
    for row in rows:
        d = defs[row["code"]]
        by_node.setdefault(d["logframe_code"], []).append(
            {"kind": "indicator", "node": d["logframe_code"], "label": d["label"], "unit": d["unit"], **row})
    entries = []
    for node in tree(nodes):
        entries.append({"kind": "node", "code": node["code"], "level": node["level"], "title": node["title"],
                        "depth": node["depth"]})
        entries.extend({**r, "depth": node["depth"] + 1} for r in by_node.get(node["code"], []))
    return entries


def result_of(code: str, nodes: list[dict]) -> str | None:
    """The result a logframe node belongs to: itself if it is a result, else its nearest result
    ancestor; None for the goal, objectives and activities placed directly under an objective."""
    by_code = {n["code"]: n for n in nodes}
    seen = set()
    while code in by_code and code not in seen:
        seen.add(code)
        if by_code[code]["level"] == "result":
            return code
        code = by_code[code].get("parent_code")
    return None


def result_matrix(rows: list[dict], definitions: list[dict], nodes: list[dict]) -> list[dict]:
    """Progress of each result in each column, as METRICS.md defines progress (mean of the clamped
    achievements of the rows that report and are due) over the rows of the indicators linked to
    the result or to an activity below it.

    Columns: each country (its own rows), :data:`REGIONAL` (regional rows) and :data:`PROGRAMME`
    (roll-up and regional rows, as for the programme's progress), each when it has rows. One dict
    per (result, column), results in code order: ``result``, ``column``, ``progress`` (None without
    a comparable row), ``rows`` (indicator rows in the cell) and ``withheld``: a comparable row of
    the cell is hidden from a funder (:mod:`dashboard.disclosure`), so its progress must not be shown.
    """
    node_of = {d["code"]: d["logframe_code"] for d in definitions}
    cells: dict[tuple[str, str], list[dict]] = {}
    for row in rows:
        result = result_of(node_of[row["code"]], nodes)
        if result is None:
            continue
        if row["country"]:
            cells.setdefault((result, row["country"]), []).append(row)
            continue
        if not row["rollup"]:
            cells.setdefault((result, REGIONAL), []).append(row)
        cells.setdefault((result, PROGRAMME), []).append(row)
    results = sorted({n["code"] for n in nodes if n["level"] == "result"}, key=natural_key)
    countries = sorted({c for (_, c) in cells if c not in (REGIONAL, PROGRAMME)})
    columns = countries + [c for c in (REGIONAL, PROGRAMME) if any(col == c for (_, col) in cells)]
    return [{"result": r, "column": c, "progress": ml.progress(cells.get((r, c), [])),
             "rows": len(cells.get((r, c), [])), "withheld": any(
                 row.get("disclosure") and row["status"] not in NOT_COMPARED for row in cells.get((r, c), []))}
            for r in results for c in columns]


def suppress_row(row: dict, computed_from: str | None, th: Thresholds = DEFAULT) -> dict:
    """An indicator row as a funder may see it. A row that counts people (computed from
    ``participants``) whose count, ``actual - baseline``, is 1 to 4 shows its actual as
    "< baseline + 5" ("< 5" for a zero baseline), and its achievement and pace (shares derived
    from that count) are left out."""
    if computed_from != "participants" or row["actual"] is None:
        return row
    if not mt.is_suppressed(row["actual"] - row["baseline"], th):
        return row
    bound = row["baseline"] + th.small_cell
    label = f"< {int(bound) if float(bound).is_integer() else bound}"
    return {**row, "actual": label, "achievement": None, "pace": None}


def figure_text(value, lang: str) -> str:
    """An indicator figure as the tables show it: whole numbers without decimals, others with two,
    in the language's format; a suppressed count ("< 5") as is; "—" when there is none."""
    if value is None or isinstance(value, str):
        return value or "—"
    return fmt_number(value, lang, 0 if float(value).is_integer() else 2)


def points(share):
    """A share (0.75) as percentage points (75.0) for the achievement bars; None stays None."""
    return None if share is None else share * 100


def short(text: str, limit: int = 60) -> str:
    """``text`` cut at a word boundary to about ``limit`` characters, with an ellipsis."""
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + "…"


def status_counts(rows: list[dict]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["status"]] = counts.get(row["status"], 0) + 1
    return counts


# --- the two status counts (docs/METRICS.md Precision 15) -------------------------------------
#: The order statuses are listed in, everywhere.
STATUS_ORDER = ("ahead", "on_track", "behind", "not_due", "non_reporting")


def programme_status_counts(kpis: dict) -> dict[str, int]:
    """Indicators at programme level per status: the programme's own rows (one roll-up row per
    indicator with country targets, plus each regional row), whatever the country filter."""
    return status_counts([r for r in kpis["indicators"] if r["country"] is None])


def country_status_counts(kpis: dict, countries=None) -> dict[str, int]:
    """Country × indicator rows per status: the own rows of the chosen countries (every country
    when none is chosen); a roll-up or regional row is never one of them."""
    chosen = set(countries or ())
    return status_counts([r for r in kpis["indicators"] if r["country"] is not None
                          and (not chosen or r["country"] in chosen)])
