"""The pages' code, imported by the thin scripts of ``views/`` that Streamlit runs.

Each module has a cached ``model`` (everything the page draws, built from the data layer and
keyed by plain arguments: programme, as-of date, countries, language) and ``render()``, which
checks the signed-in user's scope, fetches the model through :mod:`dashboard.ui.scoped` and draws
it. A rerun with a warm cache is then one cache lookup and the drawing, nothing else.
"""
