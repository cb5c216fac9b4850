# Everything a fresh machine needs, from Python 3.11+ and make alone (and git, for a team).
# Weekly is installed into .venv as users install it: the wheel, built from this checkout,
# not an editable install (which would hide a module missing from the wheel).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
SOURCES := pyproject.toml $(shell find tui store exporters -type f -not -path '*/__pycache__/*' 2>/dev/null)
# Two workers on two cores: the suite's Pilot tests are CPU-bound. loadgroup keeps a module that
# builds a costly module fixture (xdist_group) on one worker, so it is built once.
TEST_WORKERS ?= auto

.PHONY: run test smoke bench screenshots demo dev clean

$(STAMP): $(SOURCES)
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip 'setuptools>=77'
	rm -rf build/wheel build/lib
	$(PY) -m pip wheel --quiet --no-deps --no-build-isolation -w build/wheel .
	$(PY) -m pip install --quiet --force-reinstall --no-deps build/wheel/*.whl
	$(PY) -m pip install --quiet "$$(ls build/wheel/*.whl)[test]"
	rm -rf build/lib
	touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/weekly

demo: $(STAMP)
	$(VENV)/bin/weekly --demo

test: $(STAMP)
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadgroup

# The wheel in a clean venv, run from outside the checkout (CI runs it too).
smoke:
	$(PYTHON) scripts/smoke_wheel.py

# For working on Weekly: edits take effect without reinstalling.
dev: $(STAMP)
	$(PY) -m pip install --quiet --no-build-isolation -e '.[test]'

# make bench BENCH_ARGS=--quick: the TUI and the shell commands, 3 runs, in under 3 minutes
bench: $(STAMP)
	$(PY) scripts/bench.py $(BENCH_ARGS)

screenshots: $(STAMP)
	$(PY) scripts/screenshots.py

clean:
	rm -rf $(VENV) build *.egg-info
