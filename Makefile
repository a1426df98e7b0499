PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
FUZZ_SECONDS ?= 600
FUZZ_SEED ?=

.DEFAULT_GOAL := help

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

.PHONY: help install test lint format bench run demo golden soak fuzz

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

install: $(STAMP) ## create .venv and install newsclean with its dev tools

test: $(STAMP) ## run every test
	$(BIN)/python -m pytest

fuzz: $(STAMP) ## hostile inputs against the cleaners for FUZZ_SECONDS (600); FUZZ_SEED=n repeats a run
	FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_SEED=$(FUZZ_SEED) $(BIN)/python -m pytest tests/cleaners/test_fuzz.py -q -s -p no:cacheprovider

# What mypy checks, with the strictness pyproject.toml's [tool.mypy] sets per package.
MYPY_PATHS := scraper bench cleaners

lint: $(STAMP) ## ruff check, ruff format check, mypy (zero errors)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy $(MYPY_PATHS)

format: $(STAMP) ## apply ruff fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(STAMP) ## quality, speed and memory against trafilatura (needs ../shared/data)
	$(BIN)/python -m bench

KILLS ?= 100
soak: $(STAMP) ## kill a crawl at random moments KILLS times (default 100); check every output
	$(BIN)/python -m tests.soak --kills $(KILLS)

golden: $(STAMP) ## regenerate the expected JSON beside each fixture (review the diff!)
	$(BIN)/python -m pytest --regenerate-golden

run: $(STAMP) ## run the scheduled crawl on the bundled default sources
	$(BIN)/newsclean crawl

demo: $(STAMP) ## serve a small fixture site on 127.0.0.1 and crawl it
	$(BIN)/python -m tests.fakes.demo
