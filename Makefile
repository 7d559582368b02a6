# Two commands for a fresh machine: `make run` and `make test`.
VENV := .venv
BIN := $(VENV)/bin
PYTHON ?= python3
PG_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/siaga_test

.PHONY: run test setup node chromium lint typecheck pytest pytest-pg clean

$(BIN)/.installed: requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements.lock
	$(BIN)/pip install -q --no-deps -e .
	touch $@

setup: $(BIN)/.installed

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

node: node_modules/.installed

chromium:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "Installing Debian's Chromium for browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
	@command -v pdftoppm >/dev/null 2>&1 || { \
		echo "Installing Debian's poppler-utils (pdftoppm, pdftotext) for the PDF report tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null; }

run: setup node
	$(BIN)/siaga db upgrade
	$(BIN)/siaga demo load
	$(BIN)/siaga serve

lint: setup
	$(BIN)/ruff check src tests
	$(BIN)/lint-imports --no-cache

typecheck: setup
	$(BIN)/mypy

pytest: setup node chromium
	$(BIN)/pytest

# The same suite on PostgreSQL whenever one answers on 127.0.0.1:5432.
pytest-pg: setup node chromium
	@if $(BIN)/python -c "import socket; socket.create_connection(('127.0.0.1', 5432), 2)" 2>/dev/null; then \
		echo "== PostgreSQL run =="; SIAGA_TEST_DATABASE_URL=$(PG_URL) $(BIN)/pytest; \
	else echo "PostgreSQL not reachable on 127.0.0.1:5432; skipping the PostgreSQL run"; fi

test: lint typecheck pytest pytest-pg

clean:
	rm -rf $(VENV) node_modules var
