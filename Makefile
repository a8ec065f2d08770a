# Panel Assistant: every target installs what it needs into .venv first.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint index bench install clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/python -m bot run

lint: $(STAMP)
	$(BIN)/ruff check bot indexer tests bench
	$(BIN)/mypy bot indexer

test: lint
	$(BIN)/python -m pytest -q -p no:cacheprovider

index: $(STAMP)
	$(BIN)/python -m indexer

bench: $(STAMP)
	mkdir -p bench/results
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) data
