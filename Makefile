# Everything a fresh machine needs, from Python 3.11+ and make alone.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test bench screenshots demo clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# Bytecode for our own modules, as an installed package has it: Python would otherwise
# compile them at every start wherever PYTHONDONTWRITEBYTECODE is set (~20 ms a start).
BYTECODE = $(PY) -m compileall -q tui store exporters

run: $(STAMP)
	@$(BYTECODE)
	$(VENV)/bin/weekly

demo: $(STAMP)
	@$(BYTECODE)
	$(VENV)/bin/weekly --demo

test: $(STAMP)
	$(PY) -m pytest

bench: $(STAMP)
	$(PY) scripts/bench.py

screenshots: $(STAMP)
	$(PY) scripts/screenshots.py

clean:
	rm -rf $(VENV) build *.egg-info
