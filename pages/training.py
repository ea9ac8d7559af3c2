"""Formations et portée / Training reach (drawn by :mod:`dashboard.ui.pages.training`)."""
from dashboard.ui import access

access.require_page("training")  # first: nothing is read unless the router runs this page for this session

from dashboard.ui.pages import training  # noqa: E402

training.render()
