"""The data layer as a signed-in user may see it: every function takes the user's
:class:`~dashboard.auth.Scope`, refuses programmes outside it, narrows the country filter to it,
and removes what a funder must not see (other funders' names and amounts, internal finance).

Pages fetch figures through these, never from :mod:`dashboard.ui.data` directly, and a page's
cached model (:mod:`dashboard.ui.pages`) is only ever called through :func:`read_model`,
:func:`internal_model` or :func:`funding_model`. The cached functions underneath are keyed by plain
arguments only (and a model by the :class:`View` it was built for), so one user's cache entry can
never be served to another user without passing these checks first.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from .. import disclosure
from ..auth import AccessDenied, Scope
from . import data

#: Budget fields derived from all funders' money: not for funder views.
FUNDING_FIELDS = ("funding_signed", "coverage", "gap", "received", "cash_exposure", "overspent_lines")


def programmes(scope: Scope) -> pd.DataFrame:
    return data.programmes(scope.programmes)


def programme(scope: Scope, code: str):
    scope.require_read(code)
    return data.programme(code)


def countries_of(scope: Scope, code: str) -> list[str]:
    scope.require_read(code)
    known = data.countries_of(code)
    return [c for c in known if scope.countries is None or c in scope.countries]


def redact(scope: Scope, figures: dict) -> dict:
    """A ``kpis`` object as ``scope`` may see it: funders get no funding block and no budget
    figure built from other funders' money."""
    if scope.sees_internal_finance:
        return figures
    budget = {key: value for key, value in figures["budget"].items() if key not in FUNDING_FIELDS}
    return {**figures, "budget": budget, "funding": None}


def _disclosed(code: str, as_of: dt.date | None, countries=()) -> dict:
    """``kpis`` as an account that suppresses small cells may see it (:mod:`dashboard.disclosure`)."""
    figures = data.kpis(code, as_of, countries)
    when = dt.date.fromisoformat(figures["as_of"])
    return disclosure.kpis(figures, data.people_table(code, when), data.computed_from(code),
                           data.view_total(code, when, tuple(countries)))


def kpis(scope: Scope, code: str, as_of: dt.date, countries=()) -> dict:
    """``kpis`` as ``scope`` may see it: redacted, and with small cells suppressed for a funder."""
    scope.require_read(code)
    visible = scope.visible_countries(countries)
    if scope.suppress_small_cells:
        return redact(scope, _disclosed(code, as_of, visible))
    return redact(scope, data.kpis(code, as_of, visible))


def alerts(scope: Scope, code: str, as_of: dt.date, countries=()) -> list[dict]:
    """Alerts; a funder sees the indicators behind and the ending grants of its own funder only,
    and the actual of a row behind as the funder's indicator rows show it (small cells)."""
    scope.require_read(code)
    visible = scope.visible_countries(countries)
    found = data.alerts(code, as_of, visible)
    if scope.suppress_small_cells:
        rows = {(r["code"], r["country"], r["rollup"]): r for r in _disclosed(code, as_of, visible)["indicators"]}
        found = [{**a, "actual": rows[(a["code"], a["country"], a["rollup"])]["actual"]} if a["kind"] == "behind"
                 else a for a in found]
    if scope.sees_internal_finance:
        return found
    own = data.own_grant_codes(scope.funder_code)
    return [a for a in found if a["kind"] == "behind" or (a["kind"] == "cliff" and a["code"] in own)]


def prefetch_status_grid(scope: Scope, as_of: dt.date | None = None, budget: bool = False) -> None:
    """Start computing the cells :func:`status_grid` reads (the programmes ``scope`` may read) in a
    worker thread, while the page computes its other figures (:func:`dashboard.ui.data.cached`)."""
    data.status_grid.prefetch(tuple(programmes(scope)["code"]), as_of, budget)


def status_grid(scope: Scope, as_of: dt.date | None = None, countries=(), budget: bool = False) -> list[dict]:
    """Programme x country cells of the programmes ``scope`` may read (progress, and the budget
    figures with ``budget``), each at ``as_of`` when given, else at its own default date (the
    cell's ``as_of``); only ``countries`` when given, and only the countries the account may see.
    For a funder, progress as its other pages show it (small cells)."""
    codes = tuple(programmes(scope)["code"])
    cells = data.status_grid(codes, as_of, budget)
    if scope.countries is not None:
        cells = [c for c in cells if c["country"] in scope.countries]
    if countries:
        cells = [c for c in cells if c["country"] in set(countries)]
    if scope.suppress_small_cells:
        blocks = {(c["programme"], c["as_of"]): None for c in cells}
        blocks = {key: _disclosed(*key)["countries"] for key in blocks}
        cells = [{**c, "progress": blocks[(c["programme"], c["as_of"])][c["country"]]["progress"]} for c in cells]
    return cells


def _internal(scope: Scope, code: str | None) -> None:
    if not scope.sees_internal_finance:
        raise AccessDenied(f"{scope.email} may not see internal finance")
    if code is not None:
        scope.require_read(code)


@dataclass(frozen=True)
class View:
    """What a page model may depend on in the user's scope, and nothing else (it is part of the
    model's cache key): whether the user sees internal finance, whether counts of people below
    the small-cell threshold are hidden, and the countries the account is restricted to."""
    internal_finance: bool
    suppress_small_cells: bool
    countries: frozenset[str] | None

    @classmethod
    def of(cls, scope: Scope) -> "View":
        return cls(scope.sees_internal_finance, scope.suppress_small_cells,
                   None if scope.countries is None else frozenset(scope.countries))


def read_model(scope: Scope, build, code: str, as_of: dt.date, countries, lang: str):
    """The cached model of a page any reader of the programme may open
    (``build(code, as_of, countries, lang, view)``), for the countries ``scope`` may see; the model
    applies :class:`View` (redaction, small cells) itself."""
    scope.require_read(code)
    return build(code, as_of, scope.visible_countries(countries), lang, View.of(scope))


def internal_model(scope: Scope, build, code: str, as_of: dt.date, countries, lang: str):
    """The cached model of an internal-finance page (``build(code, as_of, countries, lang)``),
    for the programme and the countries ``scope`` may see."""
    _internal(scope, code)
    return build(code, as_of, scope.visible_countries(countries), lang)


def _funding_access(scope: Scope, programme_code: str | None) -> None:
    _internal(scope, programme_code)
    if programme_code is None and scope.programmes is not None:
        raise AccessDenied(f"{scope.email} may not see the whole organisation")


def funding_model(scope: Scope, build, programme_code: str | None, as_of: dt.date, lang: str):
    """The cached model of the funding page (``build(programme_code, as_of, lang)``) for a
    programme, or for the organisation (``None``: roles that see every programme only)."""
    _funding_access(scope, programme_code)
    return build(programme_code, as_of, lang)


