"""Diversification des financements / Funding diversification (drawn by
:mod:`dashboard.ui.pages.funding`)."""
from dashboard.ui.pages import funding

funding.render()
