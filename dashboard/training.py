"""Data of the training-reach page, from SQL aggregates, and small-cell suppression of its figures.

Every frame returned is small: one row per session, kind, country, theme, month, sex x age band
or organisation type. The attendance table never leaves SQL. The headline figures are those of
``kpis["training"]`` (docs/METRICS.md "Training reach").
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from .db import query
from .kpis import country_params, rows_for
from .metrics import training as mt
from .metrics.thresholds import DEFAULT, Thresholds

#: Breakdown name -> the query that computes it (queries/<name>.sql).
BREAKDOWNS = {
    "kind": "training_by_kind",
    "country": "training_by_country",
    "theme": "training_by_theme",
    "month": "training_by_month",
    "sex_age": "training_by_sex_age",
    "organisation_type": "training_by_organisation_type",
}
KNOWN_SEXES = ("F", "M", "X")
AGE_BANDS = ("<25", "25-34", "35-49", "50+", "")  # '' = not recorded


def sessions(conn, programme: str, as_of: dt.date, countries=None) -> pd.DataFrame:
    """One row per session started by ``as_of`` (in ``countries``), with its participants."""
    frame = query(conn, "training_sessions", programme=programme, as_of=as_of, **country_params(countries))
    frame["participants"] = frame["participants"].astype(int)
    return frame


def breakdowns(conn, programme: str, as_of: dt.date, countries=None) -> dict[str, pd.DataFrame]:
    """Every breakdown of :data:`BREAKDOWNS`, each a small frame."""
    params = dict(programme=programme, as_of=as_of, **country_params(countries))
    return {name: query(conn, sql, **params) for name, sql in BREAKDOWNS.items()}


def sex_counts(sex_age: pd.DataFrame) -> dict[str, int]:
    """Distinct participants per sex ('' = unknown), summed over the age bands."""
    return {sex: int(n) for sex, n in sex_age.groupby("sex")["participants"].sum().items()}


def people(count, suppress: bool, th: Thresholds = DEFAULT):
    """A count of people as the viewer may see it: unchanged, or "< 5" for 1 to 4 when suppressing."""
    return mt.suppress(count, th) if suppress else count


def headline(training: dict, sex_age: pd.DataFrame, suppress: bool, th: Thresholds = DEFAULT) -> dict:
    """The headline figures of the page: ``kpis["training"]`` plus ``repeat_share`` (repeat
    participants / participants), or, under small-cell suppression, with counts of people from 1
    to 4 shown as "< 5" and shares computed from such counts left out (None)."""
    repeat, participants = training["repeat_participants"], training["participants"]
    if not suppress:
        return {**training, "repeat_share": repeat / participants if participants else None}
    counts = sex_counts(sex_age)
    known = sum(counts.get(s, 0) for s in KNOWN_SEXES)
    total = sum(counts.values())
    return {
        **training,
        "attendances": mt.suppress(training["attendances"], th),
        "participants": mt.suppress(participants, th),
        "repeat_participants": mt.suppress(repeat, th),
        "women_share": mt.suppressed_share(counts.get("F", 0), known, th),
        "unknown_sex_share": mt.suppressed_share(counts.get("", 0), total, th),
        "repeat_share": mt.suppressed_share(repeat, participants, th),
    }


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)


def monthly_reach(by_month: pd.DataFrame, suppress: bool = False, th: Thresholds = DEFAULT) -> pd.DataFrame:
    """Per month: ``month_end``, ``sessions`` and ``reached`` (distinct participants reached so far,
    the running sum of new participants; it ends at ``kpis`` participants). Under suppression a
    running total from 1 to 4 is left out (None)."""
    frame = pd.DataFrame({
        "month_end": [month_end(int(y), int(m)) for y, m in zip(by_month["year"], by_month["month"])],
        "sessions": by_month["sessions"].astype(int).tolist(),
        "reached": by_month["new_participants"].astype(int).cumsum().tolist(),
    }, columns=["month_end", "sessions", "reached"])
    if suppress:
        frame["reached"] = pd.Series([None if mt.is_suppressed(n, th) else n for n in frame["reached"]],
                                     index=frame.index, dtype=object)
    return frame


def sex_age_matrix(sex_age: pd.DataFrame, suppress: bool = False, th: Thresholds = DEFAULT) -> pd.DataFrame:
    """Participants with age bands as rows (:data:`AGE_BANDS` order) and sexes as columns
    (F, M, X, '' = unknown); small cells become None under suppression."""
    grid = sex_age.pivot_table(index="age_band", columns="sex", values="participants", aggfunc="sum", fill_value=0)
    grid = grid.reindex(index=list(AGE_BANDS), columns=[*KNOWN_SEXES, ""], fill_value=0)
    return pd.DataFrame({sex: pd.Series([None if suppress and mt.is_suppressed(n, th) else int(n) for n in grid[sex]],
                                        index=grid.index, dtype=object) for sex in grid.columns})


def reach_rows(kpis: dict, definitions: list[dict], countries=None) -> list[dict]:
    """The rows of the computed indicators (reach against the linked targets), in ``kpis`` order:
    every row (roll-up, regional, countries) or the chosen countries' own rows. Each row gains the
    indicator's ``label`` and ``computed_from``."""
    computed = {d["code"]: d for d in definitions if d.get("computed_from")}
    return [{**row, "label": computed[row["code"]]["label"], "computed_from": computed[row["code"]]["computed_from"]}
            for row in rows_for(kpis, countries) if row["code"] in computed]
