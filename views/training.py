"""Formations et portée / Training reach (drawn by :mod:`dashboard.ui.pages.training`)."""
from dashboard.ui.pages import training

training.render()
