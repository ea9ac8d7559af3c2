"""Connexion / Sign in: local accounts (e-mail + password), single sign-on when configured, and
the demo accounts in demo mode only."""
import streamlit as st

from dashboard import auth, web
from dashboard.i18n import t
from dashboard.ui import access, data
from dashboard.ui.filters import current_lang, language_switch

access.require_page("signin")  # first: nothing is read unless the router runs this page for this session

lang = current_lang()
st.title(t("auth.title", lang))
language_switch(lang)
lang = st.session_state["lang"]

unknown = st.session_state.get("sso_unknown")
if unknown:
    st.subheader(t("auth.no_access_title", lang))
    reason = "auth.unverified_email" if st.session_state.get("sso_unverified") else "auth.no_access"
    st.warning(t(reason, lang, email=unknown), icon=":material/block:")
    if st.button(t("auth.sign_out", lang)):
        st.session_state.pop("sso_unknown", None)
        st.logout()
    st.stop()

st.write(t("auth.intro", lang))
if access.sso_configured():
    if st.button(t("auth.sso", lang), type="primary", icon=":material/key:"):
        st.login()

error = st.query_params.get(web.ERROR_PARAM)  # set by the sign-in route: a fixed code, never shown as is
if error == "wait":
    wait = st.query_params.get(web.WAIT_PARAM, "")
    seconds = int(wait) if wait.isdigit() and len(wait) < 6 else 1
    st.error(t("auth.wait", lang, seconds=seconds), icon=":material/timer:")
elif error == "database":
    st.error(t("error.database", lang, query="—"), icon=":material/cloud_off:")
elif error is not None:
    st.error(t("auth.bad_credentials", lang), icon=":material/error:")
access.sign_in_form(lang)

if data.is_demo():
    st.subheader(t("auth.demo_title", lang))
    st.info(t("auth.demo_intro", lang), icon=":material/science:")
    st.table([{t("auth.email", lang): a["email"], t("auth.password", lang): a["password"],
               t("admin.role", lang): t(f"role.{a['role']}", lang)} for a in auth.DEMO_ACCOUNTS])
