"""The pages' code, imported by the thin scripts of ``pages/`` that Streamlit runs.

Each module has a cached ``model`` (everything the page draws, built from the data layer and
keyed by plain arguments: programme, as-of date, countries, language) and ``render()``, which
checks the signed-in user's scope, fetches the model through :mod:`dashboard.ui.scoped` and draws
it. A rerun with a warm cache is then one cache lookup and the drawing, nothing else. (The
overview draws from the shared cached functions of :mod:`dashboard.ui.data` instead: its figures
are those of ``kpis`` and of the programme x country grid, cached there.) Every ``render()``
begins with :func:`start` and draws its title with :func:`heading`.

The scripts in ``pages/`` stay this short on purpose: Streamlit compiles a page script on
each run when no script cache is shared (AppTest), the modules here are imported once.
"""
from __future__ import annotations

import streamlit as st

from ...i18n import t
from ...textsafe import md
from .. import access, data

#: page key -> (script, title key, icon, URL path). The router registers the pages of a user's role
#: from this; each script's first step is ``access.require_page(key)``. No script is named like
#: its URL path: Streamlit would otherwise take the path for the script's own page of a ``pages/``
#: folder (tests/test_layout.py).
PAGES = {
    "overview": ("pages/overview.py", "nav.overview", ":material/dashboard:", "synthese"),
    "budget": ("pages/budget_risk.py", "nav.budget", ":material/account_balance_wallet:", "budget"),
    "funding": ("pages/funding.py", "nav.funding", ":material/pie_chart:", "financements"),
    "training": ("pages/training.py", "nav.training", ":material/school:", "formations"),
    "progress": ("pages/progress.py", "nav.progress", ":material/flag:", "progres"),
    "packs": ("pages/packs.py", "nav.packs", ":material/picture_as_pdf:", "dossiers"),
    "data": ("pages/data.py", "nav.data", ":material/upload_file:", "donnees"),
    "admin": ("pages/admin.py", "nav.admin", ":material/admin_panel_settings:", "administration"),
}
SIGNIN = "pages/signin.py"


def start(nav_key: str):
    """A page's first step: this run's filters, language and scope (set by the router). With no
    programme to show (an account whose scope has none yet): the page's title, an empty state
    that says so, and stop."""
    f = st.session_state["filters"]
    if f.programme is None:
        st.title(t(nav_key, f.lang))
        scope = access.scope()
        admin = scope is not None and scope.role == "admin"
        st.info(t("empty.no_programme_admin" if admin else "empty.no_programme", f.lang), icon=":material/info:")
        st.stop()
    return f, f.lang, access.scope()


def heading(title: str, lang: str, programme=None) -> None:
    """The page's title, the programme it shows on a line beneath (``programme``: code and name),
    and in demo mode a one-line note that the figures are illustrative.

    The title is the page's name alone: on a 390 px phone a title that also holds a programme's
    name took six lines, and with the demo banner left room for one headline figure on the first
    screen. Everything here is short, so the headline figures come first on a phone."""
    st.title(title)
    lines = [] if programme is None else [t("chx.programme", lang, code=md(programme.code), name=md(programme.name))]
    if data.is_demo():
        lines.append(t("chx.demo", lang))
    if lines:
        st.caption("  \n".join(lines))  # one element: no gap between the lines

