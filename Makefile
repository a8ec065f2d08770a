# Panel Assistant: every target installs what it needs into .venv first.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

CHROMIUM := /usr/bin/chromium

.PHONY: run test lint index bench mutation install browser clean

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

# The browser tests (tests/web/*_browser.py) drive Debian's Chromium through Playwright with
# executable_path; Playwright's own browser download (`playwright install`) is never used.
$(CHROMIUM):
	if [ "$$(id -u)" -eq 0 ]; then sudo=; else sudo=sudo; fi; \
	$$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q && \
	$$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium

browser: $(CHROMIUM)

test: lint browser
	$(BIN)/python -m pytest -q -p no:cacheprovider

index: $(STAMP)
	$(BIN)/python -m indexer

bench: $(STAMP)
	mkdir -p bench/results
	$(BIN)/python bench/run_all.py

# Mutation testing of bot/domain/ with tests/domain/ (docs/MUTATION.md); not part of `make test`.
# MUTATION_FRESH=1 forgets earlier verdicts; MUTATION_WORKERS sets mutmut's worker processes.
MUTATION_WORKERS ?= 2
mutation: $(STAMP)
	$(BIN)/python -m pip install --quiet -c constraints.txt mutmut
	$(BIN)/python bench/mutation.py --workers $(MUTATION_WORKERS) $(if $(MUTATION_FRESH),--fresh)

clean:
	rm -rf $(VENV) data
