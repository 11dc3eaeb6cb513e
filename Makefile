# Two commands matter: `make book` and `make test`. Both bootstrap .venv from requirements.txt.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
NBVAL := --nbval --nbval-sanitize-with tests/nbval_sanitize.cfg
# make book DATA=path/to/folder builds the book from another patients.csv + daily_status.csv.
DATA ?=

.PHONY: help book test unit browser notebooks bench chromium clean

help:
	@echo "make book       build the HTML book into _build/html (clean, every notebook executed)"
	@echo "                DATA=folder builds it from your own patients.csv and daily_status.csv"
	@echo "make test       unit tests, nbval over the chapters, the book build and the browser check"
	@echo "make notebooks  re-execute the chapter notebooks and save their outputs (commit them)"
	@echo "make bench      print performance figures"
	@echo "make clean      remove _build, caches and .venv"

$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || { echo "Creating $(VENV) with $$($(PYTHON) --version)"; $(PYTHON) -m venv $(VENV); }
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $(STAMP)

book: $(STAMP)
ifneq ($(strip $(DATA)),)
	@echo "Checking $(DATA) before building the book from it ..."
	@$(BIN)/python -m anakinra_rescue validate "$(DATA)" || { echo "make book: $(DATA) is not valid input; nothing was built." >&2; exit 2; }
endif
	rm -rf _build
	ANAKINRA_DATA_DIR="$(if $(strip $(DATA)),$(abspath $(DATA)),)" $(BIN)/jupyter-book build . -W -n --keep-going

chromium:
	@bash .ci/ensure-chromium

unit: $(STAMP)
	$(BIN)/python -m pytest $(NBVAL) tests book --deselect tests/test_browser.py

browser: $(STAMP) chromium
	$(BIN)/python -m pytest tests/test_browser.py

test: $(STAMP) chromium
	$(MAKE) book
	$(BIN)/python -m pytest $(NBVAL) tests book

notebooks: $(STAMP)
	$(BIN)/python -m anakinra_rescue.book.notebooks book/*.ipynb

bench: $(STAMP)
	$(BIN)/python -m anakinra_rescue.bench

clean:
	rm -rf _build .pytest_cache .hypothesis $(VENV)
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
