# Two commands do everything on a fresh clone (python3 >= 3.10, pip and make):
#   make report [CORPUS=path]   set up .venv, run the notebooks headless, write reports/<corpus>/
#   make test                   set up .venv, run the whole test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
CORPUS ?= seeds
PYTEST_ARGS ?=

.PHONY: setup report test clean-reports

setup: $(STAMP)

# Reinstall whenever the dependency list changes.
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

report: $(STAMP)
	$(BIN)/python -m analysis.report "$(CORPUS)"

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

clean-reports:
	rm -rf reports/*/
