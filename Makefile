# Three commands do everything on a fresh clone (python3 >= 3.10, pip and make):
#   make report [CORPUS=path]   set up .venv, run the notebooks headless, write reports/<corpus>/
#   make test                   set up .venv, run the whole test suite
#   make lab                    set up .venv, start JupyterLab in notebooks/ on the project's kernel
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
CORPUS ?= seeds
# A reference corpus (the central documents) for 07-diffusion, e.g. REFERENCE=../shared/corpora/gov_work_reports.jsonl.
REFERENCE ?=
PYTEST_ARGS ?=
# Options of python -m analysis.report, e.g. REPORT_ARGS="--jobs 2 --backend rjieba".
REPORT_ARGS ?=
# The kernel every notebook names in its metadata and analysis.report asks for.
KERNEL_NAME    := analysis
KERNEL_DISPLAY := Python (analysis)
LAB_ARGS ?=

.PHONY: setup report test lab clean-reports

setup: $(STAMP)

# Reinstall whenever the dependency list changes. The kernel is registered inside the venv
# (--sys-prefix) so headless runs, tests and JupyterLab all find it without touching ~/.local.
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL_NAME) --display-name "$(KERNEL_DISPLAY)"
	@touch $@

report: $(STAMP)
	$(BIN)/python -m analysis.report "$(CORPUS)" $(if $(REFERENCE),--reference "$(REFERENCE)") $(REPORT_ARGS)

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Containers often run as root, which Jupyter refuses unless told.
lab: $(STAMP)
	$(BIN)/jupyter lab --notebook-dir=notebooks $(if $(filter 0,$(shell id -u)),--allow-root) $(LAB_ARGS)

clean-reports:
	rm -rf reports/*/
