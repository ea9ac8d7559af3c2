"""Synthèse / Overview (drawn by :mod:`dashboard.ui.pages.overview`)."""
from dashboard.ui import access

access.require_page("overview")  # first: nothing is read unless the router runs this page for this session

from dashboard.ui.pages import overview  # noqa: E402

overview.render()
