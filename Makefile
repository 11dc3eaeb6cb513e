# Two commands matter: `make book` and `make test`. Both bootstrap .venv from requirements.txt.
PYTHON ?= python3
PYTHON_VERSION := 3.11# pyproject.toml: requires-python = ">=3.11,<3.12"
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
NBVAL := --nbval --nbval-sanitize-with tests/nbval_sanitize.cfg
# make book DATA=path/to/folder builds the book from another patients.csv + daily_status.csv: an aggregate report,
# with no per-patient row or file unless PATIENT_LEVEL=1 (for use inside the institution). MIN_CELL=k prints counts
# from 1 to k-1 as "<k" in an aggregate report. CONFIG=file.toml builds it under other settings (python -m
# anakinra_rescue settings prints them all). Paths may hold spaces.
DATA ?=
PATIENT_LEVEL ?=
MIN_CELL ?=
CONFIG ?=
# make book SINCE=0.1.0 (a release) or SINCE=folder (an earlier `tables` output or book build of the same data): what
# the "What changed" page compares this build with (default: the release before this version, for the committed cohort).
SINCE ?=

# pytest runs on every core; the suite's tests are independent of each other.
PYTEST_WORKERS ?= auto

.PHONY: help book pdf test test-slow unit lint browser screenshots notebooks nbval reference bench chromium clean release

help:
	@echo "make book       build the HTML book into _build/html (clean, every notebook executed)"
	@echo "                DATA=folder builds it from your own patients.csv and daily_status.csv (aggregate:"
	@echo "                no patient-level row or download; PATIENT_LEVEL=1 shows them, for internal use;"
	@echo "                MIN_CELL=5 prints counts of 1-4 as <5); CONFIG=settings.toml changes the settings"
	@echo "make lint       ruff check, ruff format --check and mypy (src/, schemas/)"
	@echo "make test       lint, then the book build beside every test on every core: units, the built book's"
	@echo "                outputs against the committed notebooks, the core-only install, the browser check"
	@echo "make test-slow  the slow tests make test leaves out (a second full reconstruction, three book builds in a row, the appendix PDF; ~8 min)"
	@echo "make notebooks  re-execute the chapter notebooks and save their outputs (commit them)"
	@echo "make screenshots  whole-page screenshots of every built page into _build/screenshots (after make book)"
	@echo "make pdf        print the regenerated paper and its appendix, two PDFs in _build/html (after make book)"
	@echo "make nbval      re-execute the chapters under nbval itself (make test compares the build instead)"
	@echo "make reference  recompute the R reference values in tests/reference (needs Rscript, r-cran-coin, r-cran-exactranktests)"
	@echo "make bench      print performance figures (BENCH_BEFORE_HTML=old/_build/html adds an older build's page weights)"
	@echo "make release VERSION=x.y.z SUMMARY='what changed'  keep the committed cohort's numbers in data/releases/x.y.z,"
	@echo "                set the version (package, CITATION.cff) and write the CHANGELOG.md entry (README, Releases)"
	@echo "make clean      remove _build, caches and .venv"

# .venv holds the pinned packages, the package itself (editable, with the book extra) and, in
# .venv/wheelhouse, the wheels of the core's dependencies, for the core-only install test (offline).
$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(".".join(map(str, sys.version_info[:2])) != "$(PYTHON_VERSION)")' 2>/dev/null || { \
	  echo "make: $(PYTHON) is $$($(PYTHON) --version 2>/dev/null || echo 'not found'); this project needs Python $(PYTHON_VERSION)" \
	       "(pyproject.toml, requires-python). Give one: make $(MAKECMDGOALS) PYTHON=python$(PYTHON_VERSION)" >&2; exit 2; }
	@if [ -x $(BIN)/python ] && ! $(BIN)/python -c 'import sys; sys.exit(".".join(map(str, sys.version_info[:2])) != "$(PYTHON_VERSION)")'; then \
	  echo "make: $(VENV) was made with $$($(BIN)/python --version 2>&1), not Python $(PYTHON_VERSION): removing it to rebuild it"; \
	  rm -rf $(VENV); fi
	@test -x $(BIN)/python || { echo "make: creating $(VENV) with $$($(PYTHON) --version)"; $(PYTHON) -m venv $(VENV); }
	@echo "make: [1/3] installing the pinned packages of requirements.txt into $(VENV) (about a minute the first time) ..."
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@echo "make: [2/3] installing anakinra_rescue itself (editable, with the book extra) ..."
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e ".[book]"
	@echo "make: [3/3] keeping the core's wheels in $(VENV)/wheelhouse (the core-only install test runs offline) ..."
	@$(BIN)/python -m pip download --quiet --disable-pip-version-check --only-binary=:all: -d $(VENV)/wheelhouse \
		-c requirements.txt pandas pandera pyarrow scipy
	@# The notebook kernels listen on 127.0.0.1 only; their "running over TCP without encryption" warning is printed
	@# twelve times a build and alarms anyone building from patient data, so the kernels log errors only.
	@mkdir -p $(VENV)/etc/ipython && printf '%s\n' "# Written by make (see the Makefile): the kernels listen on 127.0.0.1 only." \
		'c.IPKernelApp.log_level = "ERROR"' > $(VENV)/etc/ipython/ipython_kernel_config.py
	@touch $(STAMP)
	@echo "make: $(VENV) is ready ($$($(BIN)/python --version))"

book: $(STAMP)
	@if [ -n "$(strip $(DATA))" ]; then echo "Checking $(DATA) before building the book from it ..."; \
	  $(BIN)/python -m anakinra_rescue validate "$(DATA)" || { echo "make book: $(DATA) is not valid input; nothing was built." >&2; exit 1; }; fi
	@if [ -n "$(strip $(CONFIG))" ]; then $(BIN)/python -m anakinra_rescue settings --config "$(CONFIG)" > /dev/null \
	  || { echo "make book: the settings file $(CONFIG) cannot be used; nothing was built." >&2; exit 2; }; fi
	@case "$(MIN_CELL)" in *[!0-9]*) echo "make book: MIN_CELL=$(MIN_CELL) must be a whole number (e.g. MIN_CELL=5); nothing was built." >&2; exit 2;; esac
	rm -rf _build
	ANAKINRA_DATA_DIR="$$(if [ -n "$(strip $(DATA))" ]; then realpath -- "$(DATA)"; fi)" \
	ANAKINRA_CONFIG="$$(if [ -n "$(strip $(CONFIG))" ]; then realpath -- "$(CONFIG)"; fi)" \
	ANAKINRA_PATIENT_LEVEL="$(PATIENT_LEVEL)" ANAKINRA_MIN_CELL="$(MIN_CELL)" \
	ANAKINRA_SINCE="$$(if [ -d "$(SINCE)" ]; then realpath -- "$(SINCE)"; else echo "$(SINCE)"; fi)" ANAKINRA_ANALYSIS_CACHE="$(CURDIR)/_build/analysis-cache" \
		$(BIN)/jupyter-book build . -W -n --keep-going

# axe-core, the accessibility engine the browser check injects into each page (contrast in both themes), from the
# npm registry into .venv (pinned; the tests themselves touch no network).
AXE_VERSION := 4.14.1
AXE := $(VENV)/node/node_modules/axe-core/axe.min.js
chromium: $(AXE)
	@bash .ci/ensure-chromium

$(AXE):
	@command -v npm >/dev/null 2>&1 || { echo "make: npm is needed to fetch axe-core for the browser check (apt-get install npm)" >&2; exit 1; }
	@echo "make: fetching axe-core $(AXE_VERSION) from the npm registry into $(VENV)/node ..."
	@mkdir -p $(VENV)/node && npm install --prefix $(VENV)/node --no-audit --no-fund --silent axe-core@$(AXE_VERSION)
	@test -f $@

# One PDF of the regenerated paper (title, Methods, Results, Tables 1-3, Figure 1, fidelity), printed from the built
# HTML by the Chromium the browser check uses; written into the build, where the landing page links to it.
pdf: $(STAMP) chromium
	@[ -f _build/html/index.html ] || $(MAKE) --no-print-directory book
	$(BIN)/python -m anakinra_rescue.book.pdf --html _build/html

# ruff (pyflakes, import order, line length), ruff's formatter, and mypy on src/ and schemas/ (settings in pyproject.toml).
lint: $(STAMP)
	$(BIN)/ruff check src schemas tests book
	$(BIN)/ruff format --check src schemas tests book
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) tests --deselect tests/test_browser.py

browser: $(STAMP) chromium
	$(BIN)/python -m pytest tests/test_browser.py

# Whole-page screenshots of every page into _build/screenshots/ (make test keeps only each page's first screen).
screenshots: $(STAMP) chromium
	FULL_SCREENSHOTS=1 $(BIN)/python -m pytest -q tests/test_browser.py -k test_page_is_offline_and_clean

# Two jobs run at once, and nothing is cached between runs (the build starts from an empty _build):
# - in the background, the book is built (log in _book-build.log, exit status in _book-build.status, written whole by
#   a rename), then the tests that read it (marked needs_book) run in one process with one Chromium tab (log in
#   _book-tests.log), as soon as the build is done, beside the rest instead of after them. The byte-for-byte
#   reconstruction (a stamp check when the code that wrote the cohort is this checkout's), `certify --check` and the
#   build from other data (marked after_book) run first in that process, which balances the two sides.
# - every other test runs on every core, five nice levels below the build, dealt out one at a time, longest first.
test: $(STAMP) chromium
	$(BIN)/ruff check src schemas tests book
	$(BIN)/ruff format --check src schemas tests book
	@start=$$(date +%s); rm -f _book-build.status _book-tests.status _mypy.status; \
	( $(BIN)/mypy > _mypy.log 2>&1; echo $$? > _mypy.status ) & \
	( $(MAKE) --no-print-directory book > _book-build.log 2>&1; echo $$? > _book-build.status.tmp; \
	  mv _book-build.status.tmp _book-build.status; \
	  if [ "$$(cat _book-build.status)" = 0 ]; then \
	    $(BIN)/python -m pytest -p no:xdist -m "(needs_book or after_book) and not slow" --durations=5 tests > _book-tests.log 2>&1; \
	    echo $$? > _book-tests.status; \
	  else echo "the book build failed: its tests did not run" > _book-tests.log; echo 1 > _book-tests.status; fi ) & \
	nice -n 5 $(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist load --maxschedchunk 1 -m "not needs_book and not after_book and not slow" --durations=8 tests; \
	tests=$$?; wait; \
	echo "make test: book build exit $$(cat _book-build.status), $$(grep -c 'Executed notebook' _book-build.log) notebooks executed (log in _book-build.log)"; \
	if [ "$$(cat _book-build.status)" != 0 ]; then tail -n 60 _book-build.log; exit 1; fi; \
	echo "make test: the tests of the built book (log in _book-tests.log):"; \
	if [ "$$(cat _book-tests.status)" != 0 ]; then cat _book-tests.log; else tail -n 8 _book-tests.log; fi; \
	echo "make test: mypy: $$(tail -n 1 _mypy.log)"; if [ "$$(cat _mypy.status)" != 0 ]; then cat _mypy.log; fi; \
	[ $$tests -eq 0 ] && [ "$$(cat _book-tests.status)" = 0 ] && [ "$$(cat _mypy.status)" = 0 ] && \
	  echo "make test: passed in $$(( $$(date +%s) - start )) s (book build and tests)"

test-slow: $(STAMP) chromium
	@[ -f _build/html/index.html ] || $(MAKE) --no-print-directory book
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) -m slow tests

notebooks: $(STAMP)
	$(BIN)/python -m anakinra_rescue.book.notebooks book/*.ipynb

nbval: $(STAMP)
	$(BIN)/python -m pytest $(NBVAL) book

reference:
	Rscript tests/reference/reference.R
	Rscript tests/reference/exact_rank_tests.R

bench: $(STAMP)
	$(BIN)/python tests/bench.py

release: $(STAMP)
	@[ -n "$(VERSION)" ] && [ -n "$(SUMMARY)" ] || { echo "make release: give VERSION=x.y.z and SUMMARY='what changed, in one sentence'" >&2; exit 2; }
	$(BIN)/python -m anakinra_rescue.examination.releases "$(VERSION)" "$(SUMMARY)"
	@echo "make release: re-executing the chapters (the landing page's citation and the What changed page name the version) ..."
	$(BIN)/python -m anakinra_rescue.book.notebooks book/*.ipynb

clean:
	rm -rf _build _book-build.log _book-build.status _book-build.status.tmp _book-tests.log _book-tests.status _mypy.log \
		_mypy.status .pytest_cache .hypothesis .mypy_cache .ruff_cache $(VENV)
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
