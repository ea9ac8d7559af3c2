"""Données / Data (managers within their scope, administrators): workbook import with a dry-run
report first, the template, in-app editing of measurements (and targets for administrators) with
optimistic concurrency, and the audit log."""
import datetime as dt
import hashlib
import json

import pandas as pd
import streamlit as st

from dashboard import editing
from dashboard.db import query, records
from dashboard.i18n import CATALOGUE, country_name, t
from dashboard.importer import import_workbook, read_upload
from dashboard.importer.read import RawWorkbook, UnreadableWorkbook
from dashboard.importer.template import template_xlsx
from dashboard.kpis import to_date
from dashboard.textsafe import md
from dashboard.ui import access, data, scoped
from dashboard.ui import formatting
from dashboard.ui import widgets as w

access.require_page("data")  # first: nothing is read unless the router runs this page for this session

f = st.session_state["filters"]
lang = f.lang
scope = access.scope()
engine = data.engine()

st.title(t("data.title", lang))
tab_import, tab_edit, tab_audit = st.tabs([t("data.tab_import", lang), t("data.tab_edit", lang),
                                           t("data.tab_audit", lang)])


def error_table(issues, names: dict | None = None) -> pd.DataFrame:
    """The errors of an import or a save: sheet, row, column, value, message. ``names``: the words
    the page used for the sheet and its columns (the edit grid's headers), else the workbook's own."""
    names = names or {}
    cols = ("sheet", "row", "column", "value", "message")
    rows = []
    for issue in issues:
        found = issue.as_dict(lang)
        found["sheet"] = names.get(found["sheet"], found["sheet"] or "")
        found["column"] = names.get(found["column"], found["column"]) if found["column"] else ""
        found["row"] = found["row"] if found["row"] is not None else ""
        rows.append(found)
    return pd.DataFrame(rows, columns=cols).rename(columns={c: t(f"imp.col.{c}", lang) for c in cols})


def counts_table(counts: dict) -> pd.DataFrame:
    cols = ("inserted", "updated", "unchanged", "deleted")
    return pd.DataFrame([{t("imp.col.sheet", lang): sheet, **{t(f"imp.col.{c}", lang): n[c] for c in cols}}
                         for sheet, n in counts.items()])


def readable(value) -> str:
    """A value of the audit log (JSON: a dict, a list, a number...) as a line of text in the
    reader's words: "rôle : manager · programmes : PCRPM-C2", numbers in the language's format."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "—"
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return t("fmt.yes" if value else "fmt.no", lang)
    if isinstance(value, dict):
        if isinstance(value.get("role"), str) and f"role.{value['role']}" in CATALOGUE:
            value = {**value, "role": t(f"role.{value['role']}", lang)}
        return " · ".join(f"{field_name(k)} : {readable(v)}" if lang == "fr" else f"{field_name(k)}: {readable(v)}"
                          for k, v in value.items()) or "—"
    if isinstance(value, (list, tuple)):
        return ", ".join(readable(v) for v in value) or "—"
    return formatting.cell_text(value, "number", lang)


def field_name(key) -> str:
    key = str(key)
    return t(f"data.field.{key}", lang) if f"data.field.{key}" in CATALOGUE else key.replace("_", " ")


# --- import -----------------------------------------------------------------------------------
with tab_import, w.friendly_errors(lang):
    st.write(t("data.import_intro", lang))
    st.download_button(t("data.template", lang), template_xlsx(), "modele_import.xlsx",
                       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       icon=":material/download:", key="template")
    uploads = st.file_uploader(t("data.upload", lang), type=["xlsx", "csv", "xml"], accept_multiple_files=True,
                               key="upload", help=t("data.upload_help", lang))
    # Streamlit draws the drop area's own words in English: they are said here in the reader's words.
    st.caption(t("data.upload_zone", lang, mb=st.get_option("server.maxUploadSize")))
    replace = st.checkbox(t("data.replace", lang, code=md(f.programme)), key="replace",
                          disabled=f.programme is None or not scope.can_write(f.programme))
    if not uploads:  # the parsed workbook of a file no longer there is not kept
        for key in ("upload_parsed", "upload_checked"):
            st.session_state.pop(key, None)
    if uploads:
        # Parsed once per uploaded file (by its hash), not at every rerun: reading a large
        # workbook takes minutes. One file per session is kept (st.session_state), as parsed.
        sha = hashlib.sha256()
        for u in uploads:
            sha.update(u.name.encode("utf-8") + b"\0")
            sha.update(u.getvalue())
        digest = sha.hexdigest()
        names = ", ".join(u.name for u in uploads)
        parsed = st.session_state.get("upload_parsed")
        if parsed is None or parsed[0] != digest:
            st.session_state.pop("upload_checked", None)
            st.session_state.pop("upload_parsed", None)  # the previous file's rows can go now
            try:
                xlsx = [u for u in uploads if u.name.lower().endswith((".xlsx", ".xml"))]  # .xml: IATI, one file
                if xlsx and len(uploads) > 1:
                    raise UnreadableWorkbook("data.one_xlsx")
                with st.spinner(t("data.reading", lang)):
                    parsed = (digest, read_upload(xlsx[0].name, xlsx[0].getvalue()) if xlsx else RawWorkbook(
                        [sheet for u in uploads for sheet in read_upload(u.name, u.getvalue()).sheets]))
            except UnreadableWorkbook as err:  # kept as its message only (a traceback holds the rows read)
                parsed = (digest, (err.key, err.params))
            st.session_state["upload_parsed"] = parsed
        raw = parsed[1]
        if isinstance(raw, tuple):
            st.error(t(raw[0], lang, **raw[1]), icon=":material/error:")
            raw = None
        if raw is not None:
            replace_code = f.programme if replace else None
            checked_key = (digest, replace_code, scope.email)
            dry = st.session_state.get("upload_checked")
            if dry is None or dry[0] != checked_key:
                dry = (checked_key, import_workbook(engine, raw, actor=scope.email, filename=names, dry_run=True,
                                                    replace_programme=replace_code, scope=scope))
                st.session_state["upload_checked"] = dry
            checked = dry[1]
            if not checked.ok:
                st.error(t("imp.report_rejected", lang, n=checked.error_count), icon=":material/error:")
                table = error_table(checked.issues)
                w.table(table, lang, key="import_errors")
                w.downloads(table, "erreurs_import", lang, key="errors", sheet=t("data.sheet.errors", lang))
            else:
                st.success(t("data.dry_ok", lang), icon=":material/fact_check:")
                if getattr(raw, "notes", None):  # an IATI file: what it leaves out
                    st.info("\n".join([t("iati.notes", lang)] + [f"- {t(k, lang, **p)}" for k, p in raw.notes]))
                w.table(counts_table(checked.counts), lang, key="import_counts")
                rate_lines = checked.rate_lines(lang)
                if rate_lines:  # shared exchange rates: what they change beyond this workbook (plain text, no markdown)
                    st.warning(t("data.rates_warning", lang), icon=":material/currency_exchange:")
                    st.text("\n".join(rate_lines))
                if not checked.changed:  # the button is greyed out: say why
                    st.caption(t("data.apply_nothing", lang))
                if st.button(t("data.apply", lang), type="primary", key="apply", disabled=not checked.changed,
                             help=None if checked.changed else t("data.apply_nothing", lang)):
                    done = import_workbook(engine, raw, actor=scope.email, filename=names,
                                           replace_programme=replace_code, scope=scope)
                    data.clear()
                    st.session_state.pop("upload_checked", None)  # the next dry run sees the new data
                    if done.ok:
                        st.session_state["last_import"] = (digest, done.counts)
                    else:  # the database changed between the dry run and now
                        st.error(t("imp.report_rejected", lang, n=done.error_count), icon=":material/error:")
                        w.table(error_table(done.issues), lang, key="apply_errors")
                if st.session_state.get("last_import", (None,))[0] == digest:
                    st.success(t("data.applied", lang), icon=":material/check_circle:")


# --- editing ----------------------------------------------------------------------------------
def _blank_to_none(value):
    """Grid cells: NaN, None and "" all mean blank."""
    if value is None or (isinstance(value, float) and pd.isna(value)) or value == "":
        return None
    return value


def _editable_indicators(programme: str) -> pd.DataFrame:
    frame = query(engine, "indicators", programme=programme)
    return frame[frame["computed_from"].isna()]


with tab_edit, w.friendly_errors(lang):
    writable = f.programme is not None and scope.writes and scope.can_read(f.programme)
    if not writable:
        st.info(t("data.no_write", lang), icon=":material/lock:")
    else:
        sheet = "measurements"
        if scope.role == "admin":
            sheet = st.segmented_control(t("data.edit_what", lang), ["measurements", "targets"], default="measurements",
                                         key="edit_sheet", format_func=lambda x: t(f"data.sheet.{x}", lang)) or sheet
        indicators = _editable_indicators(f.programme) if sheet == "measurements" else query(
            engine, "indicators", programme=f.programme)
        if indicators.empty:
            st.info(t("data.no_indicator", lang), icon=":material/info:")
        else:
            labels = dict(zip(indicators["code"], indicators["label"]))
            indicator = st.selectbox(t("data.indicator", lang), list(labels), key="edit_indicator",
                                     format_func=lambda c: f"{c} — {labels[c]}")
            snapshot_key = f"edit:{sheet}:{f.programme}:{indicator}"
            reload = st.button(t("data.reload", lang), key="reload")  # always drawn: a stable layout
            if snapshot_key not in st.session_state or reload:
                # The rows and versions as read now: a save compares against these.
                if sheet == "measurements":
                    countries = sorted(scope.countries) if scope.countries is not None else []
                    frame = query(engine, "measurements_for_edit", programme=f.programme, indicator=indicator,
                                  all_countries=0 if scope.countries is not None else 1, countries=countries)
                else:
                    frame = query(engine, "targets_for_edit", programme=f.programme, indicator=indicator)
                st.session_state[snapshot_key] = frame
            original = st.session_state[snapshot_key]
            value_cols = list(editing.EDITABLE[sheet])
            grid = original.drop(columns=["version"]).copy()
            grid["period_end"] = pd.to_datetime(grid["period_end"])
            for col in ("source", "comment"):  # blank, not "None", in the grid
                if col in grid:
                    grid[col] = grid[col].fillna("")
            edited = st.data_editor(
                grid, key=f"grid:{snapshot_key}", num_rows="add", hide_index=True, width="content",
                placeholder="",  # a blank cell is blank, not "None"
                column_config={
                    # fixed widths: the key columns stay readable (and browser tests know where cells are)
                    "country_iso3": st.column_config.TextColumn(t("data.col.country", lang), max_chars=3, width=180,
                                                                help=t("data.col.country_help", lang)),
                    "period_end": st.column_config.DateColumn(t("data.col.period_end", lang), width=130,
                                                              format="DD/MM/YYYY" if lang == "fr" else "YYYY-MM-DD"),
                    "value": st.column_config.NumberColumn(t("data.col.value", lang), width=110),
                    "target": st.column_config.NumberColumn(t("data.col.target", lang), width=110),
                    "source": st.column_config.TextColumn(t("data.col.source", lang)),
                    "comment": st.column_config.TextColumn(t("data.col.comment", lang)),
                })
            st.caption(t("data.edit_help", lang))
            if st.button(t("data.save", lang), type="primary", key="save"):
                edits = []
                for i, row in edited.reset_index(drop=True).iterrows():
                    values = {"programme_code": f.programme, "indicator_code": indicator,
                              "country_iso3": (row["country_iso3"] or None) if isinstance(row["country_iso3"], str)
                              else None,
                              "period_end": to_date(row["period_end"]) if pd.notna(row["period_end"]) else None,
                              **{c: _blank_to_none(row[c]) for c in value_cols}}
                    if i < len(original):
                        before = original.iloc[i]
                        unchanged = all(_blank_to_none(before[c]) == _blank_to_none(row[c]) for c in value_cols)
                        if unchanged:
                            continue
                        values["country_iso3"] = before["country_iso3"] or None  # keys are not editable
                        values["period_end"] = to_date(before["period_end"])
                        edits.append(editing.Edit(values, int(before["version"])))
                    else:
                        edits.append(editing.Edit(values, None))
                result = editing.save(engine, scope, sheet, edits) if edits else None
                if result is None:
                    st.info(t("data.nothing", lang), icon=":material/info:")
                elif result.ok:
                    data.clear()
                    del st.session_state[snapshot_key]
                    st.session_state["edit_saved"] = result.saved
                    st.rerun()
                elif result.denied:
                    st.error(t("auth.denied", lang), icon=":material/lock:")
                elif result.conflicts:
                    st.error(t("data.conflict", lang, n=len(result.conflicts)), icon=":material/sync_problem:")
                    w.table(pd.DataFrame([{
                        t("data.col.country", lang): country_name(c.key.get("country_iso3") or None, lang),
                        t("data.col.period_end", lang): c.key["period_end"],
                        t("data.col.yours", lang): readable(c.mine),
                        t("data.col.theirs", lang): readable(
                            {k: v for k, v in (c.theirs or {}).items() if k != "version"})
                        if c.theirs else t("data.deleted", lang),
                    } for c in result.conflicts]), lang, kinds={t("data.col.period_end", lang): "date"},
                        key="conflicts")
                else:
                    st.error(t("data.rejected", lang, n=len(result.issues)), icon=":material/error:")
                    grid_names = {sheet: t(f"data.sheet.{sheet}", lang), "country_iso3": t("data.col.country", lang),
                                  **{c: t(f"data.col.{c}", lang) for c in ("period_end", "value", "target", "source",
                                                                           "comment")}}
                    w.table(error_table(result.issues, grid_names), lang, key="save_errors")
            if st.session_state.pop("edit_saved", None):
                st.success(t("data.saved", lang), icon=":material/check_circle:")


# --- audit log --------------------------------------------------------------------------------
with tab_audit, w.friendly_errors(lang):
    left, middle, right = st.columns(3)
    actor = left.text_input(t("data.audit_actor", lang), key="audit_actor").strip().lower()
    action = middle.selectbox(t("data.audit_action", lang), ["", "import", "import_rejected", "edit", "edit_refused",
                                                            "comment", "comment_refused", "pack", "user_add",
                                                            "user_update", "user_disable", "user_enable",
                                                            "user_password", "demo_mode_start", "demo_mode_end"],
                              key="audit_action",
                              format_func=lambda a: t(f"data.action.{a}", lang) if a else t("data.audit_any", lang))
    since = right.date_input(t("data.audit_since", lang), value=dt.date.today() - dt.timedelta(days=90),
                             key="audit_since")
    if scope.role != "admin":
        actor = scope.email  # managers see their own actions
    log = query(engine, "audit_log", actor=actor, action=action, limit=500,
                since=dt.datetime.combine(since, dt.time(0), tzinfo=dt.timezone.utc))

    def _action(action):
        return t(f"data.action.{action}", lang) if f"data.action.{action}" in CATALOGUE else action

    def _entity(entity):
        return t(f"data.entity.{entity}", lang) if f"data.entity.{entity}" in CATALOGUE else entity

    def _text(value):  # JSON columns: SQLite gives text, PostgreSQL the value
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError:
                return value
        return "" if value is None else readable(value)

    table = pd.DataFrame([{
        t("data.col.when", lang): r["at"], t("data.col.who", lang): r["actor"],
        t("data.col.action", lang): _action(r["action"]),
        t("data.col.what", lang): " ".join(x for x in (_entity(r["entity"]) if r["entity"] else "",
                                                       r["entity_key"] or "") if x),
        t("data.col.before", lang): _text(r["before"]), t("data.col.after", lang): _text(r["after"]),
        t("data.col.details", lang): _text(r["details"]),
    } for r in records(log)])
    audit_kinds = {t("data.col.when", lang): "datetime"}
    if table.empty:
        st.info(t("data.audit_empty", lang), icon=":material/info:")
    else:
        w.table(table, lang, kinds=audit_kinds, key="audit_table")
        w.downloads(table, f"journal_audit_{dt.date.today()}", lang, key="audit", sheet=t("data.sheet.audit", lang),
                    kinds=audit_kinds)
