"""Shared page pieces: status badges, headline cards, downloads, empty states, error guard."""
from __future__ import annotations

import html
import io
import logging
import re
from contextlib import contextmanager

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from ..db import DatabaseFileGone, QueryError
from ..i18n import t
from . import formatting

log = logging.getLogger(__name__)

STATUS_COLOURS = {
    "on_track": "green", "ahead": "blue", "diversified": "green",
    "behind": "red", "overspend": "red", "over_budget": "red", "concentrated": "red",
    "underspend": "orange", "moderate": "orange",
    "not_due": "gray", "non_reporting": "gray", "no_data": "gray",
}
#: Cell backgrounds for tables (light, readable with dark text, and printable).
STATUS_FILL = {
    "green": "#d3f0dc", "blue": "#d6e6fb", "red": "#f9d4d2", "orange": "#fde6c8", "gray": "#e8e8e8",
}


def status_label(status: str | None, lang: str) -> str:
    return t(f"status.{status}", lang) if status else "—"


def badge(status: str | None, lang: str) -> None:
    if status:
        st.badge(status_label(status, lang), color=STATUS_COLOURS.get(status, "gray"))


def headline(label: str, value: str, status: str | None, lang: str, help_text: str = "", rule: str = "") -> None:
    """A headline figure with its status colour and, beneath, the rule that produced the colour."""
    with st.container(border=True):
        st.metric(label, value, help=help_text or None)
        badge(status, lang)
        if rule:
            st.caption(rule)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """Text cells that a spreadsheet would run as a formula get a leading apostrophe."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = [f"'{v}" if isinstance(v, str) and v.startswith(_FORMULA_START) else v for v in out[col]]
    return out


_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\\x00-\x1f]")


def sheet_title(name: str, taken=()) -> str:
    """A valid Excel sheet title for ``name`` (a programme code may hold ``/``): without the
    characters Excel forbids (``[]:*?/\\``), no leading or trailing apostrophe, at most 31
    characters (a longer title is cut at a word boundary: callers pass short titles, the file name
    carries the long one), and different (case-insensitively) from the titles in ``taken``."""
    title = _SHEET_FORBIDDEN.sub("_", str(name)).strip().strip("'")
    if len(title) > 31:
        title = title[:31].rsplit(" ", 1)[0] if " " in title[:31] else title[:31]
    title = title or "data"
    used = {t_.lower() for t_ in taken}
    candidate, n = title, 1
    while candidate.lower() in used:
        n += 1
        suffix = f"~{n}"
        candidate = title[:31 - len(suffix)] + suffix
    return candidate


def to_xlsx(frame: pd.DataFrame, sheet: str = "data", lang: str | None = None, kinds: dict | None = None) -> bytes:
    """An Excel file of a table. With ``lang``: the page's table in that language (numbers and dates
    with their number formats, :mod:`.formatting`); without: the cells as they are (a sheet to import
    again, such as the explanations' ``comments`` sheet)."""
    if lang is not None:
        return formatting.to_xlsx(frame, lang, sheet, kinds)
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        neutralise(frame).to_excel(writer, sheet_name=sheet_title(sheet), index=False)
    return buffer.getvalue()


def to_csv(frame: pd.DataFrame, lang: str = "fr", kinds: dict | None = None) -> bytes:
    """A CSV file of a table in ``lang``'s spreadsheet conventions (:func:`.formatting.to_csv`)."""
    return formatting.to_csv(frame, lang, kinds)


def downloads(frame: pd.DataFrame, name: str, lang: str, key: str, sheet: str | None = None,
              kinds: dict | None = None) -> None:
    """CSV and Excel download buttons for a table, in the page's language: translated headers,
    rounded numbers, dates as the language writes them (:mod:`.formatting`). ``name``: the file
    name; ``sheet``: the Excel sheet's short title (31 characters at most); ``kinds``: the columns'
    kinds where the data does not say (money, percent...). The files are written when a button is
    clicked, not on every rerun (an Excel file costs tens of milliseconds to write)."""
    sheet = sheet or name
    left, right, _ = st.columns([1, 1, 6])
    left.download_button(t("download.csv", lang), lambda: to_csv(frame, lang, kinds), f"{name}.csv", "text/csv",
                         key=f"{key}-csv", icon=":material/download:")
    right.download_button(t("download.xlsx", lang), lambda: to_xlsx(frame, sheet, lang, kinds), f"{name}.xlsx",
                          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                          key=f"{key}-xlsx", icon=":material/download:")


def table(frame: pd.DataFrame, lang: str, kinds: dict | None = None, colours: dict | None = None, **kwargs):
    """``st.dataframe`` of ``frame`` with its cells in the app's language (:func:`.formatting.styled`):
    numbers stay numbers (sorting), their text is the language's, not the browser's."""
    # placeholder: what the browser draws for a missing value of a typed column (a Styler cannot reach it)
    return st.dataframe(formatting.styled(frame, lang, kinds, colours), hide_index=True, width="stretch",
                        placeholder=formatting.MISSING, **kwargs)


def status_fill(status: str | None) -> str | None:
    """The table background of a status (its colour, light)."""
    return STATUS_FILL[STATUS_COLOURS.get(status, "gray")] if status else None


def chart(container, spec: dict, key: str) -> None:
    """Draw a figure the page model keeps as a plotly dict (already validated when it was built:
    see :mod:`dashboard.charts`), in ``container`` (``st`` or a column)."""
    container.plotly_chart(go.Figure(spec, _validate=False), key=key)


class _SerialisedDeck:
    """A pydeck deck whose JSON the cached page model already holds (:func:`dashboard.maps.serialise`):
    ``st.pydeck_chart`` calls ``to_json()`` and reads the tooltip (``_tooltip``), nothing else of a
    deck without a Mapbox key. Writing the world's shapes again on every rerun costs ~50 ms."""

    def __init__(self, spec: str, tooltip) -> None:
        self._json, self._tooltip = spec, tooltip

    def to_json(self) -> str:
        return self._json


#: Session state: the person asked to see maps (one choice for every map of the session).
MAPS_SHOWN = "maps_shown"


def deck(container, serialised: dict, height: int, key: str, lang: str) -> bool:
    """Draw a map the page model keeps serialised (``{"spec": json, "tooltip": dict}``), once the
    person asks for maps with the toggle drawn here. Until then neither the map library (deck.gl,
    ~0.8 MB compressed, which the browser fetches when a first map is drawn) nor the world's shapes
    (~50 KB, fetched once from the app's /geo/ route and then kept by the browser's cache:
    dashboard/maps.py) are sent: over a slow link that is seconds per page (issue #14 item 15). The choice is kept for the session, on every page with a map. True when drawn."""
    shown = container.toggle(t("lazymap.show", lang), value=bool(st.session_state.get(MAPS_SHOWN, False)),
                             key=f"{key}_shown", help=t("lazymap.help", lang))
    st.session_state[MAPS_SHOWN] = shown
    if shown:
        container.pydeck_chart(_SerialisedDeck(serialised["spec"], serialised["tooltip"]), height=height, key=key)
    return shown


@contextmanager
def friendly_errors(lang: str):
    """Turn a database failure into a message instead of a traceback."""
    try:
        yield
    except DatabaseFileGone:
        log.exception("write refused")
        st.error(t("error.db_file_gone", lang), icon=":material/error:")
    except QueryError as exc:
        if isinstance(exc.cause, DatabaseFileGone):
            log.exception("write refused")
            st.error(t("error.db_file_gone", lang), icon=":material/error:")
            return
        log.exception("page query failed")
        st.error(t("error.database", lang, query=exc.query), icon=":material/cloud_off:")
    except SQLAlchemyError:
        log.exception("database failure")
        st.error(t("error.database", lang, query="—"), icon=":material/cloud_off:")
    except Exception:  # noqa: BLE001 - a page must never show a traceback (st.stop/rerun are BaseException)
        log.exception("page failure")
        st.error(t("error.unexpected", lang), icon=":material/error:")



def empty(key: str, lang: str, scope, **params) -> None:
    """An empty state: what is missing, and who can add it, in the reader's words (a writer: where;
    a reader: who to tell)."""
    who = "empty.who_writer" if scope is not None and scope.writes else "empty.who_reader"
    st.info(t(key, lang, **params) + " " + t(who, lang), icon=":material/info:")


def context_caption(prog, filters, elapsed: float, lang: str) -> None:
    """The line under a page title: period, as-of date, time elapsed, and the country filter."""
    from ..i18n import country_name, fmt_date, fmt_percent

    st.caption(t("ov.period", lang, start=fmt_date(prog.start, lang), end=fmt_date(prog.end, lang),
                 as_of=fmt_date(filters.as_of, lang), elapsed=fmt_percent(elapsed, lang)))
    if filters.countries:
        st.caption(t("ov.filtered", lang, countries=", ".join(country_name(c, lang) for c in filters.countries)))


def legend(items: list[tuple[str, str]]) -> None:
    """A colour legend, one swatch per (``#rrggbb`` colour, label); labels come from the catalogue."""
    swatches = "".join(
        f'<span style="display:inline-flex;align-items:center;margin-right:1.2em;font-size:0.85em">'
        f'<span style="width:1.1em;height:1.1em;background:{html.escape(colour)};border:1px solid #9aa5b1;'
        f'margin-right:0.4em;display:inline-block"></span>{html.escape(label)}</span>'
        for colour, label in items)
    st.html(f"<div>{swatches}</div>")
