"""Statistical disclosure control of a funder's view (docs/METRICS.md, Precision 12).

One step, applied to the data of a page model before anything is drawn, downloaded or
serialised, when the viewer's :class:`~dashboard.ui.scoped.View` suppresses small cells:

- **primary suppression**: a count of people from 1 to 4 is shown as "< 5" (0 is published);
- **secondary (complementary) suppression**: in every additive relation the page publishes
  (a total and the cells that add up to it: the programme's people and its countries, a view's
  people and its breakdowns by sex, kind, theme, organisation type, the attendances and the
  sessions, an indicator's roll-up and its country rows), as soon as one member is hidden at
  least one more is hidden ("n.d.", not disclosed), chosen as the smallest non-zero published
  cell (else the total), until no line leaves a hidden count recoverable by subtraction nor
  pinned to a single value by the bounds the marks give away (1 to 4 behind "< 5", 5 or more
  behind "n.d.");
- **derived figures**: a ratio, share, participant-hours figure or progress computed from a
  hidden count is withheld ("n.d." or None), never computed without it.

The functions here are pure (no Streamlit); :func:`people_counts` is the only one that queries.
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


def is_hidden(value) -> bool:
    """True for a published cell that is a mark ("< 5", "< 7", "n.d.")."""
    return isinstance(value, str) and (value.startswith("<") or value == NOT_DISCLOSED)


# --- secondary suppression ---------------------------------------------------------------------

def _bounds(state: str | None, value: int, th: Thresholds) -> tuple[int, float]:
    """What the viewer knows of a hidden cell from its mark."""
    return (1, th.small_cell - 1) if state == SMALL else (th.small_cell, float("inf"))


def _line_safe(total, members: Sequence, state: dict, values: Mapping, th: Thresholds) -> bool:
    """True when the relation ``total = sum(members)`` reveals no small count: nothing hidden, or
    (at least two hidden and) every hidden small member keeps at least two possible values given
    the published total, the published members and the bounds of the other hidden members."""
    hidden = [k for k in members if state[k]]
    if not hidden and not state[total]:
        return True
    if len(hidden) + (1 if state[total] else 0) < 2:
        return False
    if state[total]:  # the sum is unknown: the members are free within their bounds
        return True
    rest = values[total] - sum(values[k] for k in members if not state[k])
    for k in hidden:
        if state[k] != SMALL:
            continue
        low_others = sum(_bounds(state[o], values[o], th)[0] for o in hidden if o != k)
        high_others = sum(_bounds(state[o], values[o], th)[1] for o in hidden if o != k)
        low = max(1, rest - high_others)
        high = min(th.small_cell - 1, rest - low_others)
        if high - low < 1:
            return False
    return True


def protect(values: Mapping[Hashable, int], relations: Iterable[tuple[Hashable, Sequence[Hashable]]],
            forced: Mapping[Hashable, str | None] | None = None, fixed: Iterable[Hashable] = (),
            th: Thresholds = DEFAULT) -> dict[Hashable, str | None]:
    """The state of every cell of an additive table: None (published), :data:`SMALL` or
    :data:`WITHHELD`.

    ``values`` maps every cell (totals included) to its count; ``relations`` lists the additive
    relations ``(total, members)`` the page publishes. ``forced`` gives cells whose state was
    decided elsewhere (e.g. a view's total, by the programme's country table), and ``fixed``
    cells that must stay published (they are never chosen as a complement). Cells 1 to 4 are
    hidden; then, while some relation is unsafe (see :func:`_line_safe`), its smallest
    published non-zero member is withheld (ties: first in the relation), else its total.
    """
    relations = [(total, list(members)) for total, members in relations]
    state = {k: (SMALL if is_small(v, th) else None) for k, v in values.items()}
    for k, s in (forced or {}).items():
        if s and not state.get(k):
            state[k] = s
    fixed = set(fixed) | {k for k, s in (forced or {}).items() if s is None}
    changed = True
    while changed:
        changed = False
        for total, members in relations:
            if _line_safe(total, members, state, values, th):
                continue
            candidates = [k for k in members if not state[k] and values[k] and k not in fixed]
            if candidates:
                pick = min(candidates, key=lambda k: values[k])
            elif not state[total] and total not in fixed:
                pick = total
            else:
                continue  # nothing left to hide in this line (see Precision 12)
            state[pick] = WITHHELD
            changed = True
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


def people_table(counts: Mapping[str, int], th: Thresholds = DEFAULT) -> dict[str, str | None]:
    """States of the programme's people table: total = sum of the countries (a person attending
    in two countries counts in both, so the relation is treated as exact: the safe side)."""
    return protect(counts, [(TOTAL, [c for c in counts if c != TOTAL])], th=th)


def view_total(table: Mapping[str, str | None], countries, total: int, th: Thresholds = DEFAULT) -> str | None:
    """The state of a view's people total: the programme's total when unfiltered; for a
    selection of countries, published only when it is not small and every selected country's
    count is published (it then adds nothing to what those counts give away)."""
    if not countries:
        return table.get(TOTAL)
    if is_small(total, th):
        return SMALL
    return WITHHELD if any(table.get(c) for c in countries) else None


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


def kpis(figures: dict, counts: Mapping[str, int], computed: Mapping[str, str | None], countries=None,
         th: Thresholds = DEFAULT) -> dict:
    """A ``kpis`` object (possibly filtered by ``countries``) as a funder may see it: indicator
    rows and progress figures disclosed, countries' people from the programme's protected people
    table (``counts``: :func:`people_counts`), the view's people total by :func:`view_total`, and
    figures derived from hidden counts left out."""
    table = people_table(counts, th)
    rows = indicator_rows(figures["indicators"], computed, th)
    country_block = {}
    for c, v in figures["countries"].items():
        mine = [r for r in rows if r["country"] == c]
        country_block[c] = {**v, "participants": shown(v["participants"], table.get(c), th),
                            "progress": progress(mine)}
    out = {**figures, "indicators": rows, "countries": country_block,
           "progress": progress([r for r in rows if r["country"] is None])}
    if figures.get("training") is not None:
        tr = figures["training"]
        total = view_total(table, countries, tr["participants"], th)
        out["training"] = {**tr, "participants": shown(tr["participants"], total, th),
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


def _breakdown(frame, column: str, total: int, total_state, th: Thresholds) -> list:
    """States of a breakdown of a view's people (one row per kind, theme, ...) whose rows add up
    to the view's total (a person in two rows counts in both: the relation is taken as exact)."""
    values = {i: int(n) for i, n in enumerate(frame[column])}
    if total_state == WITHHELD:
        return [_all_hidden(v, th) for v in values.values()]
    values[TOTAL] = total
    state = protect(values, [(TOTAL, [i for i in range(len(frame))])], forced={TOTAL: total_state}, th=th)
    return [state[i] for i in range(len(frame))]


def training(summary: dict, found: dict, sessions, counts: Mapping[str, int], countries=None,
             all_sessions=None, th: Thresholds = DEFAULT) -> dict:
    """Every count of people of the training page as a funder may see it.

    ``summary`` is ``kpis["training"]`` of the view, ``found`` its breakdowns
    (:func:`dashboard.training.breakdowns`), ``sessions`` its session rows, ``counts`` the
    programme's people table (:func:`people_counts`) and ``all_sessions`` the programme's session
    rows when the view is a selection of countries (a session's count is protected against the
    programme's attendances, the same in every view). Returns published values (numbers, marks,
    or None for a withheld share or point): ``headline``, ``sessions`` (participants per session
    row), ``country`` (ISO3 -> participants), ``kind`` / ``theme`` / ``organisation_type``
    (participants per row, and ``*_hours``: participant-hours per row), ``sex_age`` (band -> sex
    -> participants) and ``reached`` (people reached so far, per month row)."""
    from .training import AGE_BANDS, KNOWN_SEXES

    table = people_table(counts, th)
    total = summary["participants"]
    total_state = view_total(table, countries, total, th)

    # sessions: their participants add up to the programme's attendances
    att = "attendances"
    every = sessions if all_sessions is None or not countries else all_sessions
    values = {code: int(n) for code, n in zip(every["code"], every["participants"])}
    values[att] = sum(values.values())
    session_state = protect(values, [(att, [c for c in values if c != att])], th=th)
    per_session = [session_state[c] for c in sessions["code"]]
    all_sessions_shown = not any(per_session)
    if not countries:
        att_state = session_state[att]
    else:  # a selection's attendances: published when every one of its sessions is
        att_state = (SMALL if is_small(summary["attendances"], th) else WITHHELD if any(per_session) else None)

    def hours(frame, column: str, session_column: str) -> list:
        """Participant-hours of each row, published when every session it sums is published."""
        keys = [_key(v) for v in sessions[session_column]]
        out = []
        for value, h in zip(frame[column], frame["participant_hours"]):
            value = _key(value)
            mine = [s for s, k in zip(per_session, keys) if k == value]
            out.append(NOT_DISCLOSED if any(mine) else float(h))
        return out

    # sex x age band: cells add up to each sex's total, the sexes to the view's total
    grid = {(b, s): 0 for b in AGE_BANDS for s in (*KNOWN_SEXES, "")}
    for sex, band, n in zip(found["sex_age"]["sex"], found["sex_age"]["age_band"], found["sex_age"]["participants"]):
        grid[(band or "", sex or "")] += int(n)
    sexes = [*KNOWN_SEXES, ""]
    values = {**grid, **{("sex", s): sum(grid[(b, s)] for b in AGE_BANDS) for s in sexes}, TOTAL: total}
    relations = [(TOTAL, [("sex", s) for s in sexes])] + [(("sex", s), [(b, s) for b in AGE_BANDS]) for s in sexes]
    if total_state == WITHHELD:
        sex_state = {k: _all_hidden(v, th) for k, v in values.items()}
        sex_state[TOTAL] = WITHHELD
    else:
        sex_state = protect(values, relations, forced={TOTAL: total_state}, th=th)
    sex_age = {b: {s: shown(grid[(b, s)], sex_state[(b, s)], th) for s in sexes} for b in AGE_BANDS}
    women = unknown = None
    by_sex = {s: values[("sex", s)] for s in sexes}
    known = sum(by_sex[s] for s in KNOWN_SEXES)
    if not any(sex_state[k] for k in (("sex", "F"), ("sex", ""), TOTAL)):
        women = by_sex["F"] / known if known else None
        unknown = by_sex[""] / total if total else None

    repeat = int(summary["repeat_participants"])
    repeat_state = SMALL if is_small(repeat, th) else None
    headline = {
        **summary,
        "attendances": shown(summary["attendances"], att_state, th),
        "participants": shown(total, total_state, th),
        "repeat_participants": shown(repeat, repeat_state, th),
        "participant_hours": summary["participant_hours"] if all_sessions_shown else NOT_DISCLOSED,
        "women_share": women, "unknown_sex_share": unknown,
        "repeat_share": repeat / total if total and not repeat_state and not total_state else None,
    }
    result = {"headline": headline, "total": total_state,
              "sessions": [shown(int(n), s, th) for n, s in zip(sessions["participants"], per_session)],
              "session_states": per_session, "sex_age": sex_age,
              "country": {c: shown(int(n), table.get(c or ""), th)
                          for c, n in zip(found["country"]["country_iso3"], found["country"]["participants"])}}
    for name, session_column in (("kind", "kind"), ("theme", "theme"), ("organisation_type", None)):
        frame = found[name]
        states = _breakdown(frame, "participants", total, total_state, th)
        result[name] = [shown(int(n), s, th) for n, s in zip(frame["participants"], states)]
        if session_column:
            result[f"{name}_hours"] = hours(frame, name, session_column)
    reached = running_total(found["month"]["new_participants"].astype(int).tolist(), total_state, th)
    if total_state == WITHHELD:
        reached = [None] * len(reached)
    result["reached"] = reached
    return result
