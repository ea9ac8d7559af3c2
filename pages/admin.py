"""Administration (administrators): accounts, roles, scopes; disable / enable; password reset."""
import pandas as pd
import streamlit as st

from dashboard import auth
from dashboard.db import query
from dashboard.i18n import country_name, t
from dashboard.textsafe import md
from dashboard.ui import access, data
from dashboard.ui import widgets as w

access.require_page("admin")  # first: nothing is read unless the router runs this page for this session

lang = st.session_state["filters"].lang
scope = access.scope()
engine = data.engine()
if scope.role != "admin":  # the router does not register this page for other roles; belt and braces
    st.error(t("auth.denied", lang))
    st.stop()

st.title(t("admin.title", lang))


def account_error(err: auth.AccountError) -> None:
    st.error(t(err.key, lang, **err.params), icon=":material/error:")


with w.friendly_errors(lang):
    users = auth.list_users(engine)
    st.subheader(t("admin.users", lang))
    w.table(pd.DataFrame([{
        t("admin.col.email", lang): u["email"], t("admin.col.role", lang): t(f"role.{u['role']}", lang),
        t("admin.col.scope", lang): ", ".join(u["programmes"] + [country_name(c, lang) for c in u["countries"]])
        or (u["funder_code"] or ""),
        t("admin.col.active", lang): bool(u["active"]), t("admin.col.demo", lang): bool(u["is_demo"]),
        t("admin.col.last_login", lang): u["last_login_at"],
    } for u in users]), lang, kinds={t("admin.col.last_login", lang): "datetime"}, key="users")

    programmes = query(engine, "programmes", all_programmes=1, programmes=[])["code"].tolist()
    funders = [r for r in query(engine, "funder_list").itertuples(index=False)]
    funder_codes = [f.code for f in funders]
    countries = sorted({c for p in programmes for c in data.countries_of(p)})

    def scope_fields(prefix: str, current: dict | None = None):
        current = current or {}
        role = st.selectbox(t("admin.role", lang), auth.ROLES, key=f"{prefix}_role",
                            index=auth.ROLES.index(current.get("role", "manager")),
                            format_func=lambda r: t(f"role.{r}", lang))
        chosen_programmes = st.multiselect(t("admin.programmes", lang), programmes, key=f"{prefix}_programmes",
                                           default=current.get("programmes", []), disabled=role != "manager",
                                           placeholder=t("admin.choose", lang))
        chosen_countries = st.multiselect(t("admin.countries", lang), countries, key=f"{prefix}_countries",
                                          default=current.get("countries", []), disabled=role != "manager",
                                          format_func=lambda c: country_name(c, lang),
                                          placeholder=t("admin.choose", lang))
        funder = st.selectbox(t("admin.funder", lang), [None] + funder_codes, key=f"{prefix}_funder",
                              index=([None] + funder_codes).index(current.get("funder_code")),
                              disabled=role != "funder", format_func=lambda c: c or "—")
        if role != "manager":
            chosen_programmes, chosen_countries = [], []
        return role, chosen_programmes, chosen_countries, funder if role == "funder" else None

    left, right = st.columns(2)
    with left, st.container(border=True):
        st.subheader(t("admin.add", lang))
        email = st.text_input(t("auth.email", lang), key="new_email")
        role, progs, ctry, funder = scope_fields("new")
        password = st.text_input(t("admin.password", lang), type="password", key="new_password")
        if st.button(t("admin.create", lang), type="primary", key="create"):
            try:
                auth.add_user(engine, email, role, password or None, progs, ctry, funder, actor=scope.email)
                st.success(t("admin.done", lang))
                st.rerun()
            except auth.AccountError as err:
                account_error(err)

    with right, st.container(border=True):
        st.subheader(t("admin.edit", lang))
        by_email = {u["email"]: u for u in users}
        chosen = st.selectbox(t("admin.account", lang), list(by_email), key="edit_email")
        if chosen:
            current = by_email[chosen]
            role, progs, ctry, funder = scope_fields(f"edit_{current['id']}", current)
            if st.button(t("admin.save", lang), key="save_user"):
                try:
                    auth.update_user(engine, chosen, role, progs, ctry, funder, actor=scope.email)
                    st.success(t("admin.done", lang))
                except auth.AccountError as err:
                    account_error(err)
            cols = st.columns(2)
            if current["active"]:
                if cols[0].button(t("admin.disable", lang), key="disable"):
                    if chosen == scope.email:
                        st.error(t("admin.self", lang))
                    else:
                        auth.set_active(engine, chosen, False, actor=scope.email)
                        st.rerun()
            elif cols[0].button(t("admin.enable", lang), key="enable"):
                auth.set_active(engine, chosen, True, actor=scope.email)
                st.rerun()
            if cols[1].button(t("admin.reset", lang), key="reset"):
                password = auth.new_password()
                auth.set_password(engine, chosen, password, actor=scope.email)
                # the password as code: Markdown would turn a pair of its "_" into italics, and the
                # administrator would pass on another password than the one set
                st.warning(t("admin.new_password", lang, email=md(chosen)), icon=":material/key:")
                st.code(password, language=None)
