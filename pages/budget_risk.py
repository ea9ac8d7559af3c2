"""Risque budgétaire / Budget risk (drawn by :mod:`dashboard.ui.pages.budget`)."""
from dashboard.ui import access

access.require_page("budget")  # first: nothing is read unless the router runs this page for this session

from dashboard.ui.pages import budget  # noqa: E402

budget.render()
