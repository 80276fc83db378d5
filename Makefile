# Two entry points for a fresh machine with python3 (3.10+), pip and make:
#   make extract   set up .venv and run `newsents extract seeds/`
#   make test      set up .venv and run the tests
#   make lint      ruff and mypy, as CI runs them
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin

.PHONY: extract test lint setup clean

extract: $(VENV)/.installed
	$(BIN)/newsents extract seeds/

test: $(VENV)/.installed
	$(BIN)/python -m pytest

# Lint as CI runs it: ruff (check + format) and mypy over src/.
lint: $(VENV)/.installed
	$(BIN)/ruff check src tests scripts benchmarks
	$(BIN)/ruff format --check src tests scripts benchmarks
	$(BIN)/mypy src

setup: $(VENV)/.installed

# Every dependency, the spaCy model included, is pinned with hashes in requirements.lock.
$(VENV)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

clean:
	rm -rf $(VENV)
