# The two commands of the README: `make run` (the app on the embedded SQLite database with the
# demo loaded) and `make test` (the whole test suite). Both create the virtual environment first.
VENV ?= .venv
PY := $(VENV)/bin/python
PYTHON ?= python3

.PHONY: run test clean-db

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

run: $(VENV)/.installed
	$(PY) -m streamlit run streamlit_app.py

test: $(VENV)/.installed
	$(PY) -m pytest $(PYTEST_ARGS)

clean-db:
	rm -f data/dashboard.db data/dashboard.db-wal data/dashboard.db-shm
