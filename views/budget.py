"""Risque budgétaire / Budget risk (drawn by :mod:`dashboard.ui.pages.budget`)."""
from dashboard.ui.pages import budget

budget.render()
