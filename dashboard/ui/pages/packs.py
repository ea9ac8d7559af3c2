"""Dossiers du Conseil / Board packs: produce the PDF pack of the sidebar's programme, as-of date,
countries and language (a funder gets the funder version), and reopen any archived pack exactly as
it was produced."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from ... import pack
from ...i18n import country_name, fmt_date, t
from .. import data
from .. import widgets as w
from . import heading, start


@data.cached
def _archive(scope) -> list[dict]:
    return pack.archived(data.engine(), scope)


def render() -> None:
    f, lang, scope = start("nav.packs")
    with w.friendly_errors(lang):
        heading(t("pk.title_funder" if not scope.sees_internal_finance else "pk.title", lang), lang)
        st.caption(t("pk.intro" if scope.sees_internal_finance else "pk.intro_funder", lang))
        whole = scope.programmes is None and scope.sees_internal_finance and st.toggle(
            t("pk.generate_org", lang), key="pack-organisation")
        if st.button(t("pk.generate", lang), icon=":material/picture_as_pdf:", type="primary", key="pack-generate"):
            with st.spinner(t("pk.generate", lang)):
                made = pack.build(data.engine(), scope, None if whole else f.programme, f.as_of,
                                  () if whole else f.countries, lang)
            st.session_state["pack-made"] = (made.archive_id, made.pages)
            data.sync_version()  # the archive list below shows the new pack
        made = st.session_state.get("pack-made")
        if made:
            st.success(t("pk.done", lang, id=made[0], pages=made[1]), icon=":material/check_circle:")

        st.subheader(t("pk.archive", lang))
        rows = _archive(scope)
        if not rows:
            st.info(t("pk.archive_empty", lang), icon=":material/info:")
            return
        table = pd.DataFrame({
            t("pk.col.id", lang): [r["id"] for r in rows],
            t("pk.col.created", lang): [r["created_at"].strftime("%Y-%m-%d %H:%M") for r in rows],
            t("pk.col.by", lang): [r["created_by"] for r in rows],
            t("pk.col.programme", lang): [r["programme_code"] or t("pk.organisation", lang) for r in rows],
            t("pk.col.as_of", lang): [fmt_date(r["as_of"], lang) for r in rows],
            t("pk.col.countries", lang): [", ".join(country_name(c, lang) for c in r["countries"].split(",") if c)
                                          or t("pk.cover.all_countries", lang) for r in rows],
            t("pk.col.lang", lang): [r["lang"] for r in rows],
            t("pk.col.audience", lang): [t(f"pk.audience.{r['audience']}", lang) for r in rows],
            t("pk.col.version", lang): [r["data_version"] for r in rows],
            t("pk.col.pages", lang): [r["pages"] for r in rows],
        })
        st.dataframe(table, hide_index=True, width="stretch")
        by_id = {r["id"]: r for r in rows}
        chosen = st.selectbox(t("pk.open", lang), list(by_id), key="pack-open",
                              format_func=lambda i: f"n° {i} — {by_id[i]['programme_code'] or ''} — "
                                                    f"{fmt_date(by_id[i]['as_of'], lang)}")
        if chosen is not None:
            r = by_id[chosen]
            st.download_button(t("pk.download", lang), lambda: pack.pdf_of(data.engine(), scope, chosen) or b"",
                               f"dossier_{r['programme_code'] or 'organisation'}_{r['as_of']}_{chosen}.pdf",
                               "application/pdf", key="pack-download", icon=":material/download:")
