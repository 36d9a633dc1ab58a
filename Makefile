# The two commands: `make run` serves the app, `make test` runs every check.
# Each creates .venv and installs the pinned dependencies the first time.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test migrate lint clean bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.run-deps: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev-deps: $(VENV)/.run-deps requirements-dev.txt
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

migrate: $(VENV)/.run-deps
	$(BIN)/alembic upgrade head

run: migrate
	$(BIN)/uvicorn webapp.main:app --host $(HOST) --port $(PORT)

lint: $(VENV)/.dev-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# axe-core for the accessibility tests and the Mastodon clients masto and megalodon for their
# suites, pinned in tests/node/package-lock.json.
tests/node/node_modules/.installed: tests/node/package.json tests/node/package-lock.json
	cd tests/node && npm ci --no-audit --no-fund --silent
	touch $@

# The suite runs on SQLite always, then on PostgreSQL when TEST_DATABASE_URL is set.
test: lint tests/node/node_modules/.installed
	env -u TEST_DATABASE_URL $(BIN)/pytest
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "== the same suite on PostgreSQL =="; \
		$(BIN)/pytest; \
	else \
		echo "TEST_DATABASE_URL is not set: PostgreSQL run skipped (.ci/run sets it)"; \
	fi

# Seeds 10k and 1M tweets into PostgreSQL, drives the app and a reference page with wrk (~6 min).
bench: $(VENV)/.run-deps
	bench/run

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
