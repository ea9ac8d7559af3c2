# The two commands of the README: `make run` (the app on the embedded SQLite database with the
# demo loaded) and `make test` (the whole test suite). Both create the virtual environment first
# and install from the lock files (exact versions, hashes checked): `make run` the runtime
# dependencies only, `make test` the test ones too. `make lock` regenerates the lock files after a
# change of requirements*.txt; `make lock-check` (run by CI) fails when they are out of date.
VENV ?= .venv
PY := $(VENV)/bin/python
PYTHON ?= python3
UV := $(VENV)/bin/uv
LOCK_FLAGS := --generate-hashes --python-version 3.11 --custom-compile-command "make lock" -q

.PHONY: run test lock lock-check clean-db

$(VENV)/bin/python:
	@echo "== Creating the virtual environment in $(VENV)"
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed-run: requirements.lock | $(VENV)/bin/python
	@echo "== Installing the runtime dependencies from requirements.lock (hashes checked; about a minute the first time)"
	$(PY) -m pip install --progress-bar off --require-hashes --no-deps -r requirements.lock
	@rm -f $(VENV)/.installed-dev
	touch $@

$(VENV)/.installed-dev: requirements-dev.lock | $(VENV)/bin/python
	@echo "== Installing the runtime and test dependencies from requirements-dev.lock (hashes checked)"
	$(PY) -m pip install --progress-bar off --require-hashes --no-deps -r requirements-dev.lock
	touch $@ $(VENV)/.installed-run

run: $(VENV)/.installed-run
	@echo "== Starting the app on http://localhost:8501 (first start: creates data/dashboard.db with the demo)"
	$(PY) -m streamlit run streamlit_app.py

test: $(VENV)/.installed-dev
	$(PY) -m pytest $(PYTEST_ARGS)

$(UV): | $(VENV)/bin/python
	$(PY) -m pip install --progress-bar off uv

lock: $(UV)
	$(UV) pip compile requirements.txt $(LOCK_FLAGS) -o requirements.lock
	$(UV) pip compile requirements-dev.txt $(LOCK_FLAGS) -o requirements-dev.lock

# Regenerates both lock files in a scratch folder (keeping their pins, as `make lock` does) and
# compares: a requirement added, removed or changed without `make lock` fails here.
lock-check: $(UV)
	@tmp=$$(mktemp -d) && cp requirements.txt requirements-dev.txt requirements.lock requirements-dev.lock $$tmp/ \
	  && cd $$tmp && $(CURDIR)/$(UV) pip compile requirements.txt $(LOCK_FLAGS) -o requirements.lock \
	  && $(CURDIR)/$(UV) pip compile requirements-dev.txt $(LOCK_FLAGS) -o requirements-dev.lock \
	  && cd $(CURDIR) && diff -u requirements.lock $$tmp/requirements.lock && diff -u requirements-dev.lock $$tmp/requirements-dev.lock \
	  && echo "lock files up to date"

clean-db:
	rm -f data/dashboard.db data/dashboard.db-wal data/dashboard.db-shm
