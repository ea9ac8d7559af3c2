"""Statistical disclosure control of a funder's view (docs/METRICS.md, Precision 12).

One step, applied to the data of a page model before anything is drawn, downloaded or
serialised, when the viewer's :class:`~dashboard.ui.scoped.View` suppresses small cells:

- **primary suppression**: a count of people from 1 to 4 is shown as "< 5" (0 is published);
- **secondary (complementary) suppression**: the additive tables a page publishes (the
  programme's people per country, by sex x age band, kind, theme and organisation type, all
  sharing the programme's total; each session's participants against the attendances; an
  indicator's country rows against its roll-up) are protected together: while a viewer could pin
  a hidden count to one value, by working out every cell's interval from the published cells,
  the marks (1 to 4 behind "< 5", 5 or more behind "n.d.") and the relations, one more cell is
  withheld ("n.d.", not disclosed);
- **derived figures**: a ratio, share, participant-hours figure or progress computed from a
  hidden count is withheld ("n.d." or None), never computed without it.

The functions here are pure (no Streamlit); :func:`people_counts` is the only one that queries.
Pages reach them through their model builders (training, progress) and :mod:`dashboard.ui.scoped`
(the overview's figures, alerts and grid).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Iterable, Mapping, Sequence

from .db import query
from .kpis import country_params
from .metrics import logframe as ml
from .metrics.thresholds import DEFAULT, Thresholds

SMALL = "small"  # primary: a count of 1 to 4 people
WITHHELD = "withheld"  # secondary: hidden so that no sum or difference reveals a small count
NOT_DISCLOSED = "n.d."  # the mark of a withheld figure (non diffusé / not disclosed)
TOTAL = "*"  # the key of the programme's total in a people table
#: Statuses whose rows take no part in progress (METRICS.md).
NOT_COMPARED = (ml.NON_REPORTING, ml.NOT_DUE)


def is_small(count, th: Thresholds = DEFAULT) -> bool:
    return count is not None and 0 < count < th.small_cell


def mark(state: str, th: Thresholds = DEFAULT) -> str:
    """The text shown in place of a hidden count."""
    return f"< {th.small_cell}" if state == SMALL else NOT_DISCLOSED


def shown(value, state: str | None, th: Thresholds = DEFAULT):
    """``value`` as published: itself, or the mark of its state."""
    return value if state is None else mark(state, th)


# --- secondary suppression ---------------------------------------------------------------------

INF = float("inf")


def bounds(values: Mapping[Hashable, int], relations: Sequence[tuple[Hashable, Sequence[Hashable]]],
           state: Mapping[Hashable, str | None], th: Thresholds = DEFAULT) -> dict[Hashable, tuple[float, float]]:
    """What a viewer can work out of every cell: its interval, from the published cells, the
    marks (1 to 4 behind "< 5", at least 5 behind "n.d.") and every relation ``total =
    sum(members)`` (an inequality where the members overlap or leave people out), tightened relation by
    relation until nothing changes (interval propagation, as an attacker would do it by hand)."""
    lo: dict = {}
    hi: dict = {}
    for k, v in values.items():
        if state.get(k) == SMALL:
            lo[k], hi[k] = 1, th.small_cell - 1
        elif state.get(k) == WITHHELD:
            lo[k], hi[k] = th.small_cell, INF
        else:
            lo[k] = hi[k] = v
    # A relation that does not hold exactly in the data only bounds the total: members that
    # overlap (a person in two countries or kinds) add up to more, total <= sum; members that
    # leave people out (participants without an organisation) add up to less, sum <= total.
    sums = [sum(values[m] for m in members) for _, members in relations]
    for _ in range(100):
        changed = False
        for (total, members), added in zip(relations, sums):
            equal = added == values[total]
            above = equal or added > values[total]  # total <= sum holds
            below = equal or added < values[total]  # sum <= total holds
            low_sum = sum(lo[m] for m in members)
            finite_high = sum(hi[m] for m in members if hi[m] != INF)
            unbounded = sum(1 for m in members if hi[m] == INF)
            high_sum = INF if unbounded else finite_high
            if below and low_sum > lo[total]:
                lo[total], changed = low_sum, True
            if above and high_sum < hi[total]:
                hi[total], changed = high_sum, True
            for m in members:
                others_low = low_sum - lo[m]
                if hi[m] == INF:
                    others_high = INF if unbounded > 1 else finite_high
                else:
                    others_high = INF if unbounded else finite_high - hi[m]
                new_lo = lo[total] - others_high if above else -INF
                new_hi = hi[total] - others_low if below else INF
                if new_lo > lo[m]:  # bounds of the others are those read above: tightened next pass
                    lo[m], changed = new_lo, True
                if new_hi < hi[m]:
                    hi[m], changed = new_hi, True
        if not changed:
            break
    return {k: (lo[k], hi[k]) for k in values}


def exposed(values, relations, state, protected: Iterable[Hashable], th: Thresholds = DEFAULT) -> list:
    """The ``protected`` cells the viewer can pin to a single value."""
    found = bounds(values, relations, state, th)
    return [k for k in protected if found[k][1] - found[k][0] < 1]


def protect(values: Mapping[Hashable, int], relations: Iterable[tuple[Hashable, Sequence[Hashable]]],
            forced: Mapping[Hashable, str | None] | None = None, fixed: Iterable[Hashable] = (),
            th: Thresholds = DEFAULT) -> dict[Hashable, str | None]:
    """The state of every cell of an additive table: None (published), :data:`SMALL` or
    :data:`WITHHELD`.

    ``values`` maps every cell (totals included) to its count; ``relations`` lists the additive
    relations ``(total, members)`` the page publishes (a total may be a member of another
    relation: a two-way table with its margins). ``forced`` gives cells whose state was decided
    elsewhere (e.g. a view's total, by the programme's country table; a forced hidden cell is
    protected like a small one), and ``fixed`` cells that must stay published (never chosen as a
    complement). Cells 1 to 4 are hidden; then, while the viewer can pin a protected cell to one
    value (:func:`exposed`), one more published non-zero cell of a relation holding a pinned cell
    is withheld: an inner cell before a total, the smallest first (ties: first in ``values``).
    """
    relations = [(total, list(members)) for total, members in relations]
    state = {k: (SMALL if is_small(v, th) else None) for k, v in values.items()}
    for k, s in (forced or {}).items():
        if s and not state.get(k):
            state[k] = s
    fixed = set(fixed) | {k for k, s in (forced or {}).items() if s is None}
    protected = [k for k in values if state[k]]
    totals = {total for total, _ in relations}
    for _ in range(len(values) + 1):
        pinned = exposed(values, relations, state, protected, th)
        if not pinned:
            break
        # Complement: a published non-zero cell of a relation holding a pinned cell, or linked
        # to one through hidden cells; inner cells (no relation's total) before margins, then
        # the smallest, then the first.
        reached, near, grown = set(pinned), [], True
        while grown:
            grown = False
            for t, m in relations:
                if (t, m) not in near and (t in reached or reached.intersection(m)):
                    near.append((t, m))
                    reached |= {c for c in (t, *m) if state[c]}
                    grown = True
        order = {k: i for i, k in enumerate(values)}
        candidates = {c for t, m in near for c in (*m, t) if not state[c] and values[c] and c not in fixed}
        if not candidates:
            break  # nothing left to hide (see Precision 12)
        pick = min(candidates, key=lambda c: (c in totals, values[c], order[c]))
        state[pick] = WITHHELD
    return state


def running_total(new_counts: Sequence[int], final_state: str | None, th: Thresholds = DEFAULT) -> list:
    """The published points of a running total of people (e.g. people reached so far, month by
    month): a point is published only when it is 0 or more than ``small_cell - 1`` above the last
    published point (so no difference of two points is 1 to 4), and the last point (the view's
    total) follows ``final_state``; earlier points are withheld (None) until it is safe."""
    running, points, last = 0, [], 0
    for n in new_counts:
        running += int(n)
        gap = running - last
        if gap == 0 or gap >= th.small_cell:
            points.append(running)
            last = running
        else:
            points.append(None)
    if points and final_state is None and points[-1] is None:
        # The total is published elsewhere: withdraw published points until the last gap is safe.
        total = running
        for i in range(len(points) - 2, -1, -1):
            if points[i] is None:
                continue
            if 0 < total - points[i] < th.small_cell:
                points[i] = None
            else:
                break
        points[-1] = total
    elif points and final_state is not None:
        points[-1] = None  # the view's total is hidden: so is the running total's last point
    return points


# --- people tables -----------------------------------------------------------------------------

def people_counts(conn, programme: str, as_of: dt.date) -> dict[str, int]:
    """Distinct participants of the whole programme by ``as_of``: per country ('' = regional
    sessions) and :data:`TOTAL`. The table every country figure of a funder's pages is protected
    on, whatever the country filter (so two filters cannot be subtracted)."""
    by_country = query(conn, "participants_by_country", programme=programme, as_of=as_of)
    counts = {c: int(n) for c, n in zip(by_country["country_iso3"], by_country["participants"])}
    totals = query(conn, "training_totals", programme=programme, as_of=as_of, **country_params(None))
    counts[TOTAL] = int(totals["participants"].iloc[0])
    return counts


def _breakdown_tables(total: int, found: dict) -> tuple[dict, list]:
    """The additive tables of a view's people, as cells and relations: the sex x age band cells
    add up to each sex, the sexes to the view's total; the kinds, themes and organisation types
    each add up to the total (or more: a person in two of them counts in both)."""
    from .training import AGE_BANDS, KNOWN_SEXES

    sexes = [*KNOWN_SEXES, ""]
    values: dict = {TOTAL: int(total)}
    grid = {("cell", b, s): 0 for b in AGE_BANDS for s in sexes}
    sex_age = found["sex_age"]
    for sex, band, n in zip(sex_age["sex"], sex_age["age_band"], sex_age["participants"]):
        grid[("cell", _key(band), _key(sex))] += int(n)
    values.update(grid)
    values.update({("sex", s): sum(grid[("cell", b, s)] for b in AGE_BANDS) for s in sexes})
    relations = [(TOTAL, [("sex", s) for s in sexes])]
    relations += [(("sex", s), [("cell", b, s) for b in AGE_BANDS]) for s in sexes]
    for name in ("kind", "theme", "organisation_type"):
        keys = [(name, i) for i in range(len(found[name]))]
        values.update({k: int(n) for k, n in zip(keys, found[name]["participants"])})
        if keys:
            relations.append((TOTAL, keys))
    return values, relations


def programme_table(counts: Mapping[str, int], found: dict, th: Thresholds = DEFAULT) -> dict:
    """States of the programme's people tables, protected together (they share the total):
    ``("country", ISO3)`` ('' = regional sessions) adding up to :data:`TOTAL`, and the
    breakdowns of :func:`_breakdown_tables` (``found``: the programme's breakdowns, unfiltered).
    Every page takes a country's people and the programme's total from here, whatever its
    country filter, so two pages or two filters never publish both sides of a difference."""
    values, relations = _breakdown_tables(counts[TOTAL], found)
    countries = [("country", c) for c in counts if c != TOTAL]
    values.update({("country", c): int(n) for c, n in counts.items() if c != TOTAL})
    relations.append((TOTAL, countries))
    return protect(values, relations, th=th)


def country_state(table: Mapping, country: str | None):
    return table.get(("country", country or ""))


def view_table(table: Mapping, countries, total: int, found: dict, th: Thresholds = DEFAULT) -> dict:
    """States of a view's people tables: the programme's (``table``) when unfiltered; for a
    selection of countries, its total is published only when it is not small and every selected
    country's count is published (it then adds nothing to what those counts give away) and its
    breakdowns can be protected around it; else the total is withheld and every non-zero cell
    of its breakdowns with it (one fully published breakdown would add up to it again)."""
    if not countries:
        return table
    values, relations = _breakdown_tables(total, found)
    if is_small(total, th):
        return protect(values, relations, forced={TOTAL: SMALL}, th=th)
    if not any(country_state(table, c) for c in countries):
        state = protect(values, relations, fixed=[TOTAL], th=th)
        protected = [k for k, v in values.items() if is_small(v, th)]
        if not exposed(values, relations, state, protected, th):
            return state
    return {**{k: _all_hidden(v, th) for k, v in values.items()}, TOTAL: WITHHELD}


# --- indicator rows and progress ---------------------------------------------------------------

def _count(row: dict) -> int | None:
    if row["actual"] is None:
        return None
    return int(round(row["actual"] - row["baseline"]))


def indicator_rows(rows: list[dict], computed: Mapping[str, str | None], th: Thresholds = DEFAULT) -> list[dict]:
    """Indicator rows as a funder may see them. Rows of an indicator computed from
    ``participants`` count people (``actual - baseline``); their roll-up row is the sum of the
    reporting country rows and their regional row the count over every session: both are totals
    of the country rows. Hidden rows show "< baseline + 5" (small) or "n.d." (withheld) as their
    actual, and no achievement or pace; each row gains ``disclosure`` (its state)."""
    out = [{**r, "disclosure": None} for r in rows]
    by_code: dict[str, list[int]] = {}
    for i, r in enumerate(out):
        if computed.get(r["code"]) == "participants" and r["actual"] is not None:
            by_code.setdefault(r["code"], []).append(i)
    for code, idx in by_code.items():
        values = {i: _count(out[i]) for i in idx}
        countries = [i for i in idx if out[i]["country"]]
        relations = []
        for i in idx:
            if out[i]["country"]:
                continue
            members = [c for c in countries if out[c]["status"] != ml.NON_REPORTING] if out[i]["rollup"] else countries
            if members:
                relations.append((i, members))
        state = protect(values, relations, th=th)
        for i, s in state.items():
            if not s:
                continue
            row = out[i]
            if s == SMALL:
                bound = row["baseline"] + th.small_cell
                label = f"< {int(bound) if float(bound).is_integer() else bound}"
            else:
                label = NOT_DISCLOSED
            out[i] = {**row, "actual": label, "achievement": None, "pace": None, "disclosure": s}
    return out


def progress(rows: list[dict]):
    """Progress (METRICS.md) of disclosed rows: withheld ("n.d.") when a hidden row would enter
    the mean (a mean of achievements gives a hidden achievement back by difference)."""
    if any(r.get("disclosure") and r["status"] not in NOT_COMPARED for r in rows):
        return NOT_DISCLOSED
    return ml.progress(rows)


def kpis(figures: dict, table: Mapping, computed: Mapping[str, str | None], total_state: str | None = None,
         th: Thresholds = DEFAULT) -> dict:
    """A ``kpis`` object (possibly filtered by countries) as a funder may see it: indicator rows
    and progress figures disclosed, countries' people from the programme's protected table
    (:func:`programme_table`), the view's people total as ``total_state`` says
    (:func:`view_table`), and the figures derived from hidden counts left out."""
    rows = indicator_rows(figures["indicators"], computed, th)
    country_block = {}
    for c, v in figures["countries"].items():
        mine = [r for r in rows if r["country"] == c]
        country_block[c] = {**v, "participants": shown(v["participants"], country_state(table, c), th),
                            "progress": progress(mine)}
    out = {**figures, "indicators": rows, "countries": country_block,
           "progress": progress([r for r in rows if r["country"] is None])}
    if figures.get("training") is not None:
        tr = figures["training"]
        out["training"] = {**tr, "participants": shown(tr["participants"], total_state, th),
                           "attendances": shown(tr["attendances"], SMALL if is_small(tr["attendances"], th) else None, th),
                           "repeat_participants": shown(tr["repeat_participants"],
                                                        SMALL if is_small(tr["repeat_participants"], th) else None, th),
                           "participant_hours": None, "women_share": None, "unknown_sex_share": None}
    return out


def progress_for(figures: dict, countries=None):
    """:func:`dashboard.kpis.progress_for` over disclosed figures."""
    if not countries:
        return figures["progress"]
    return progress([r for r in figures["indicators"] if r["country"] in set(countries)])


# --- the training page -------------------------------------------------------------------------

def _key(value) -> str:
    """A category as a key: a missing one (None, NaN) is ''."""
    return "" if value is None or (isinstance(value, float) and value != value) else value


def _all_hidden(value: int, th: Thresholds) -> str | None:
    """A cell of a view whose people total is withheld: hidden unless 0 (each breakdown adds up to
    the total, so one fully published breakdown would give it back, and with it a hidden country)."""
    return SMALL if is_small(value, th) else WITHHELD if value else None


def training(summary: dict, found: dict, sessions, table: Mapping, countries=None, all_sessions=None,
             th: Thresholds = DEFAULT) -> dict:
    """Every count of people of the training page as a funder may see it.

    ``summary`` is ``kpis["training"]`` of the view, ``found`` its breakdowns
    (:func:`dashboard.training.breakdowns`), ``sessions`` its session rows, ``table`` the
    programme's protected people tables (:func:`programme_table`) and ``all_sessions`` the
    programme's session rows when the view is a selection of countries (a session's count is
    protected against the programme's attendances, the same in every view). Returns published
    values (numbers, marks, or None for a withheld share or point): ``headline``, ``sessions``
    (participants per session row), ``country`` (ISO3 -> participants), ``kind`` / ``theme`` /
    ``organisation_type`` (participants per row, and ``*_hours``: participant-hours per row),
    ``sex_age`` (band -> sex -> participants) and ``reached`` (people reached so far, per month)."""
    from .training import AGE_BANDS, KNOWN_SEXES

    total = int(summary["participants"])
    view = view_table(table, countries, total, found, th)
    values, _ = _breakdown_tables(total, found)
    total_state = view[TOTAL]

    # sessions: their participants add up to the programme's attendances
    att = "attendances"
    every = sessions if all_sessions is None or not countries else all_sessions
    counts = {code: int(n) for code, n in zip(every["code"], every["participants"])}
    counts[att] = sum(counts.values())
    session_state = protect(counts, [(att, [c for c in counts if c != att])], th=th)
    per_session = [session_state[c] for c in sessions["code"]]
    if not countries:
        att_state = session_state[att]
    else:  # a selection's attendances: published when every one of its sessions is
        att_state = SMALL if is_small(summary["attendances"], th) else WITHHELD if any(per_session) else None

    def hours(frame, column: str, session_column: str) -> list:
        """Participant-hours of each row, published when every session it sums is published."""
        keys = [_key(v) for v in sessions[session_column]]
        return [NOT_DISCLOSED if any(s for s, k in zip(per_session, keys) if k == _key(value)) else float(h)
                for value, h in zip(frame[column], frame["participant_hours"])]

    sexes = [*KNOWN_SEXES, ""]
    sex_age = {b: {s: shown(values[("cell", b, s)], view[("cell", b, s)], th) for s in sexes} for b in AGE_BANDS}
    women = unknown = None
    if not any(view[k] for k in (("sex", "F"), ("sex", ""), TOTAL)):
        known = sum(values[("sex", s)] for s in KNOWN_SEXES)
        women = values[("sex", "F")] / known if known else None
        unknown = values[("sex", "")] / total if total else None

    repeat = int(summary["repeat_participants"])
    repeat_state = SMALL if is_small(repeat, th) else None
    headline = {
        **summary,
        "attendances": shown(summary["attendances"], att_state, th),
        "participants": shown(total, total_state, th),
        "repeat_participants": shown(repeat, repeat_state, th),
        "participant_hours": NOT_DISCLOSED if any(per_session) else summary["participant_hours"],
        "women_share": women, "unknown_sex_share": unknown,
        "repeat_share": repeat / total if total and not repeat_state and not total_state else None,
    }
    result = {"headline": headline, "total": total_state, "sex_age": sex_age,
              "sessions": [shown(int(n), s, th) for n, s in zip(sessions["participants"], per_session)],
              "country": {c: shown(int(n), country_state(table, c), th)
                          for c, n in zip(found["country"]["country_iso3"], found["country"]["participants"])}}
    for name, session_column in (("kind", "kind"), ("theme", "theme"), ("organisation_type", None)):
        frame = found[name]
        result[name] = [shown(int(n), view[(name, i)], th) for i, n in enumerate(frame["participants"])]
        if session_column:
            result[f"{name}_hours"] = hours(frame, name, session_column)
    reached = running_total(found["month"]["new_participants"].astype(int).tolist(), total_state, th)
    result["reached"] = [None] * len(reached) if total_state == WITHHELD else reached
    return result
