"""Diversification des financements / Funding diversification (drawn by
:mod:`dashboard.ui.pages.funding`)."""
from dashboard.ui import access

access.require_page("funding")  # first: nothing is read unless the router runs this page for this session

from dashboard.ui.pages import funding  # noqa: E402

funding.render()
