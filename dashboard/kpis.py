"""Every figure of METRICS.md for one programme: SQL aggregates, then the pure metric functions.

The functions here take a connection (or engine) and return plain dicts and small DataFrames;
the pages cache them (``dashboard.ui.data``), the ``kpis`` command prints :func:`compute_kpis`.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from .db import query, records
from .metrics import budget as mb
from .metrics import funding as mf
from .metrics import logframe as ml
from .metrics import training as mt
from .metrics.thresholds import DEFAULT, Thresholds


class UnknownProgramme(LookupError):
    pass


@dataclass(frozen=True)
class Programme:
    code: str
    name: str
    start: dt.date
    end: dt.date
    lead_organisation: str | None = None


def to_date(value) -> dt.date | None:
    """A date from what a driver returns (SQLite gives ISO text for computed date columns)."""
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NaT:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, pd.Timestamp):
        return value.date()
    return dt.date.fromisoformat(str(value)[:10])


def get_programme(conn, code: str) -> Programme:
    frame = query(conn, "programme", programme=code)
    if frame.empty:
        raise UnknownProgramme(code)
    r = records(frame)[0]
    return Programme(r["code"], r["name"], to_date(r["start_date"]), to_date(r["end_date"]), r["lead_organisation"])


def default_as_of(conn, programme: str, today: dt.date | None = None) -> dt.date:
    """The latest dated fact of the programme, never later than today (today if none)."""
    return as_of_default(query(conn, "latest_dates", programme=programme)["latest"], today)


def as_of_default(latest, today: dt.date | None = None) -> dt.date:
    """The as-of default from the latest dates of a programme's sources (None: no such fact)."""
    today = today or dt.date.today()
    dates = [d for d in (to_date(v) for v in latest) if d is not None]
    return min(max(dates), today) if dates else today


def default_as_of_many(conn, programmes, today: dt.date | None = None) -> dict[str, dt.date]:
    """:func:`default_as_of` of many programmes in one query."""
    programmes = sorted(set(programmes))
    if not programmes:
        return {}
    found = query(conn, "grid_latest_dates", programmes=programmes)
    latest: dict[str, list] = {code: [] for code in programmes}
    for code, date in zip(found["programme_code"], found["latest"]):
        latest[code].append(date)
    return {code: as_of_default(dates, today) for code, dates in latest.items()}


def country_params(countries) -> dict:
    countries = sorted(countries or [])
    return {"all_countries": 0 if countries else 1, "countries": countries}


# --- budget ----------------------------------------------------------------------------------

def budget_lines(conn, prog: Programme, as_of: dt.date, countries=None, th: Thresholds = DEFAULT) -> pd.DataFrame:
    """One row per budget line: amount and spent in EUR, execution, burn index, status."""
    lines = query(conn, "budget_lines_spent", programme=prog.code, as_of=as_of, **country_params(countries))
    share = mb.elapsed(prog.start, prog.end, as_of)
    lines["execution"] = [mb.ratio(s, a) for s, a in zip(lines["spent_eur"], lines["amount_eur"])]
    lines["burn_index"] = [mb.ratio(e, share) for e in lines["execution"]]
    lines["status"] = [mb.line_status(a, s, share, th) for a, s in zip(lines["amount_eur"], lines["spent_eur"])]
    return lines


def budget_summary(conn, prog: Programme, as_of: dt.date, countries=None, lines: pd.DataFrame | None = None,
                   th: Thresholds = DEFAULT) -> dict:
    """The ``budget`` block of ``kpis`` (funding figures stay programme-level)."""
    if lines is None:
        lines = budget_lines(conn, prog, as_of, countries, th)
    share = mb.elapsed(prog.start, prog.end, as_of)
    total, spent = float(lines["amount_eur"].sum()), float(lines["spent_eur"].sum())
    result = mb.figures(total, spent, share, th)
    signed = funding_by_funder(conn, as_of, prog.code)
    received = float(query(conn, "received", programme=prog.code, as_of=as_of)["received_eur"].iloc[0])
    if countries:  # coverage, gap and cash exposure are programme-level figures
        whole = budget_lines(conn, prog, as_of, None, th)
        total, spent = float(whole["amount_eur"].sum()), float(whole["spent_eur"].sum())
    result.update(mb.funding_figures(total, spent, float(signed["amount_eur"].sum()), received))
    over = lines[lines["spent_eur"] > lines["amount_eur"]]
    result["overspent_lines"] = sorted(over["code"].tolist())
    return result


# --- funding ---------------------------------------------------------------------------------

def funding_by_funder(conn, as_of: dt.date, programme: str | None = None) -> pd.DataFrame:
    """Signed funding per funder (one programme, or the organisation when ``programme`` is None)."""
    return query(conn, "funding_by_funder", as_of=as_of, programme=programme or "",
                 all_programmes=0 if programme else 1)


def pipeline(conn, programme: str | None = None) -> pd.DataFrame:
    return query(conn, "pipeline", programme=programme or "", all_programmes=0 if programme else 1)


def funding_summary(conn, as_of: dt.date, programme: str | None = None, th: Thresholds = DEFAULT) -> dict:
    """The ``funding`` block of ``kpis``."""
    signed = funding_by_funder(conn, as_of, programme)
    amounts = dict(zip(signed["funder_code"], signed["amount_eur"].astype(float)))
    types = dict(zip(signed["funder_code"], signed["funder_type"]))
    result = mf.concentration(amounts, types, th)
    result["pipeline_weighted"] = float(pipeline(conn, programme)["weighted_eur"].sum())
    return result


# --- training --------------------------------------------------------------------------------

def training_summary(conn, prog: Programme, as_of: dt.date, countries=None,
                     by_sex: dict[str, int] | None = None) -> dict:
    """The ``training`` block of ``kpis``. ``by_sex``: the distinct participants per sex ('' =
    unknown) when the caller has them already (``training.sex_counts`` of the same selection's
    training_by_sex_age: the same people and sexes as training_by_sex), else read."""
    params = dict(programme=prog.code, as_of=as_of, **country_params(countries))
    totals = query(conn, "training_totals", **params).iloc[0]
    if by_sex is None:
        frame = query(conn, "training_by_sex", **params)
        by_sex = dict(zip(frame["sex"], frame["participants"].astype(int)))
    women, unknown = mt.sex_shares(by_sex)
    result = {k: int(totals[k]) for k in ("sessions", "attendances", "participants", "organisations",
                                           "repeat_participants")}
    result["participant_hours"] = float(totals["participant_hours"])
    result["women_share"], result["unknown_sex_share"] = women, unknown
    order = ("sessions", "attendances", "participants", "organisations", "participant_hours", "women_share",
             "unknown_sex_share", "repeat_participants")
    return {k: result[k] for k in order}


# --- logframe --------------------------------------------------------------------------------

def indicator_rows(conn, prog: Programme, as_of: dt.date, th: Thresholds = DEFAULT) -> list[dict]:
    """Every indicator row: countries, regional and roll-up, in the order of METRICS.md."""
    nodes_frame = query(conn, "logframe_nodes", programme=prog.code)
    parents = {n["code"]: n["parent_code"] for n in records(nodes_frame)}
    defs = query(conn, "indicators", programme=prog.code)
    targets = query(conn, "targets", programme=prog.code)
    measured = query(conn, "measurements_asof", programme=prog.code, as_of=as_of)
    return rows_from(prog, as_of, records(defs), records(targets), records(measured),
                     lambda ind, countries: _computed_figures(conn, prog, as_of, ind, parents, countries), th)


def rows_from(prog: Programme, as_of: dt.date, defs: list[dict], targets: list[dict], measured: list[dict],
              computed, th: Thresholds = DEFAULT, countries_only: bool = False) -> list[dict]:
    """The indicator rows of :func:`indicator_rows` from the records of its queries (``defs``:
    indicators.sql, ``targets``: targets.sql, ``measured``: measurements_asof.sql);
    ``computed(ind, countries)`` gives the figures of a computed indicator per (code, country).
    ``countries_only``: the country rows alone (no roll-up, no regional row)."""
    milestones: dict[tuple[str, str], list] = {}
    for t in targets:
        milestones.setdefault((t["indicator_code"], t["country_iso3"]), []).append(
            (to_date(t["period_end"]), float(t["target"])))
    figures: dict[tuple[str, str], float] = {}
    aggregations = {d["code"]: d["aggregation"] for d in defs}
    for r in measured:
        figures[(r["indicator_code"], r["country_iso3"])] = float(
            r["latest_value"] if aggregations.get(r["indicator_code"]) == "latest" else r["total"])

    rows: list[dict] = []
    for d in defs:
        ind = ml.Indicator(d["code"], d["logframe_code"], d["unit"], d["direction"], d["aggregation"],
                           float(d["baseline"]), d["computed_from"])
        countries = sorted({c for (code, c) in milestones if code == ind.code}
                           | (set() if ind.computed_from else {c for (code, c) in figures if code == ind.code}))
        if countries_only:
            countries = [c for c in countries if c]
        if ind.computed_from:
            figures.update(computed(ind, countries))
        own = {}
        for country in countries:
            row = ml.country_row(ind, prog.start, as_of, milestones.get((ind.code, country), []),
                                 figures.get((ind.code, country)), th)
            own[country] = {"code": ind.code, "country": country or None, "rollup": False, **row}
        country_only = [own[c] for c in countries if c]
        if countries_only:
            rows.extend(country_only)
            continue
        if any(milestones.get((ind.code, c)) for c in countries if c):
            rows.append({"code": ind.code, "country": None, "rollup": True, **ml.rollup_row(ind, country_only, th)})
        if "" in own:
            rows.append(own[""])
        rows.extend(country_only)
    return rows


def _computed_figures(conn, prog, as_of, ind: ml.Indicator, parents, countries) -> dict:
    """Counts of a computed indicator per country row ('' = all countries); 0 is a valid value."""
    nodes = ml.descendants(parents, ind.logframe_code)
    params = dict(programme=prog.code, as_of=as_of, nodes=nodes)
    by_country = query(conn, "computed_by_country", **params)
    counts = dict(zip(by_country["country_iso3"], by_country[ind.computed_from].astype(int)))
    result = {(ind.code, c): float(counts.get(c, 0)) for c in countries if c}
    if "" in countries:
        result[(ind.code, "")] = float(query(conn, "computed_total", **params)[ind.computed_from].iloc[0])
    return result


# --- everything ------------------------------------------------------------------------------

def compute_kpis(conn, programme: str, as_of: dt.date | None = None, countries=None,
                 today: dt.date | None = None, th: Thresholds = DEFAULT, *, lines: pd.DataFrame | None = None) -> dict:
    """The JSON object of the ``kpis`` command (METRICS.md), numbers unrounded. ``lines``: the
    :func:`budget_lines` of these arguments, when the caller has them already."""
    prog = get_programme(conn, programme)
    as_of = as_of or default_as_of(conn, programme, today)
    if lines is None:
        lines = budget_lines(conn, prog, as_of, countries, th)
    indicators = indicator_rows(conn, prog, as_of, th)
    return {
        "programme": programme,
        "as_of": as_of.isoformat(),
        "currency": "EUR",
        "budget": budget_summary(conn, prog, as_of, countries, lines, th),
        "funding": funding_summary(conn, as_of, programme, th),
        "training": training_summary(conn, prog, as_of, countries),
        "countries": country_summaries(conn, prog, as_of, indicators, th, None if countries else lines),
        "indicators": indicators,
        "progress": ml.progress([r for r in indicators if r["country"] is None]),
    }


def country_summaries(conn, prog: Programme, as_of: dt.date, indicators: list[dict],
                      th: Thresholds = DEFAULT, all_lines: pd.DataFrame | None = None) -> dict:
    """The ``countries`` block: every country with a budget line, a session, a target or a
    measurement. ``all_lines``: the programme's :func:`budget_lines` (every country), if known."""
    if all_lines is None:
        all_lines = budget_lines(conn, prog, as_of, None, th)
    people = query(conn, "participants_by_country", programme=prog.code, as_of=as_of)
    participants = dict(zip(people["country_iso3"], people["participants"].astype(int)))
    sessions_countries = set(query(conn, "session_countries", programme=prog.code, as_of=as_of)["country_iso3"])
    countries = ({c for c in all_lines["country_iso3"].dropna() if c} | {c for c in sessions_countries if c}
                 | {r["country"] for r in indicators if r["country"]})
    share = mb.elapsed(prog.start, prog.end, as_of)
    result = {}
    for country in sorted(countries):
        mine = all_lines[all_lines["country_iso3"] == country]
        result[country] = country_figures(float(mine["amount_eur"].sum()), float(mine["spent_eur"].sum()), share,
                                          participants.get(country, 0),
                                          [r for r in indicators if r["country"] == country], th)
    return result


def country_budget_statuses(lines: list[dict], prog: Programme, as_of: dt.date, th: Thresholds = DEFAULT) -> dict:
    """``{iso3: {"status": ...}}``: the budget status of each country of ``lines`` (budget line
    records with ``country_iso3``, ``amount_eur``, ``spent_eur``), as the ``countries`` block gives
    it (:func:`country_summaries`), without the rest of ``kpis``. A country with no line has no
    budget, hence ``no_data``: it is left out."""
    def amount(value) -> float:  # a missing sum is 0, as pandas sums it in country_summaries
        return 0.0 if value is None or value != value else float(value)

    sums: dict[str, list[float]] = {}
    for line in lines:
        country = line.get("country_iso3")
        if isinstance(country, str) and country:
            total = sums.setdefault(country, [0.0, 0.0])
            total[0] += amount(line.get("amount_eur"))
            total[1] += amount(line.get("spent_eur"))
    share = mb.elapsed(prog.start, prog.end, as_of)
    return {c: {"status": mb.figures(budget, spent, share, th)["status"]} for c, (budget, spent) in sorted(sums.items())}


def country_figures(budget: float, spent: float, share: float, participants: int, rows: list[dict],
                    th: Thresholds = DEFAULT) -> dict:
    """One entry of the ``countries`` block from the country's budget, spent, time elapsed,
    participants and own indicator rows (Precision 7)."""
    b = mb.figures(budget, spent, share, th)
    statuses: dict[str, int] = {}
    for r in rows:
        statuses[r["status"]] = statuses.get(r["status"], 0) + 1
    return {
        "budget": b["budget"], "spent": b["spent"], "execution": b["execution"],
        "burn_index": b["burn_index"], "status": b["status"],
        "participants": participants,
        "progress": ml.progress(rows),
        "statuses": dict(sorted(statuses.items())),
    }


def rows_for(kpis: dict, countries=None) -> list[dict]:
    """The indicator rows a page shows: the programme's (roll-up and regional) rows and every
    country row, or the own rows of the chosen countries when the view is filtered."""
    if not countries:
        return kpis["indicators"]
    return [r for r in kpis["indicators"] if r["country"] in set(countries)]


def progress_for(kpis: dict, countries=None):
    """Programme progress, or the progress of the chosen countries' own rows."""
    if not countries:
        return kpis["progress"]
    return ml.progress(rows_for(kpis, countries))
