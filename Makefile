# The verbs of the warehouse. Each target sets itself up when needed.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
BIN := $(VENV)/bin
PYTHON ?= python3.11
STAMP := $(VENV)/.installed

export CCW_DROPS_DIR ?= $(CURDIR)/seeds/drops
export CCW_DB_PATH ?= $(CURDIR)/warehouse/ccw.duckdb
# the nightly builds here and publishes to CCW_DB_PATH when every gate passes
export CCW_BUILD_DB_PATH ?= $(dir $(CCW_DB_PATH))build/$(notdir $(CCW_DB_PATH))
export DAGSTER_HOME ?= $(CURDIR)/.dagster
export DBT_PROFILES_DIR := $(CURDIR)
export DO_NOT_TRACK := 1
# dagster-dbt's manifest preparer (dagster dev) looks for `dbt` on PATH
export PATH := $(CURDIR)/$(BIN):$(PATH)

MANIFEST := dbt_project/target/manifest.json
DBT := cd dbt_project && ../$(BIN)/dbt

.PHONY: help setup run test lint dev docs bench bench-night clean lock dashboard dashboard-setup \
	dashboard-screenshot browser lock-dashboard

help:
	@echo "make run   - set up and run the nightly job on the drops in CCW_DROPS_DIR"
	@echo "make test  - set up, lint and run every test (pytest incl. dbt builds and unit tests)"
	@echo "make dev   - start Dagster's UI (dagster dev)"
	@echo "make lint  - ruff and sqlfluff"
	@echo "make docs  - build the dbt docs site and serve it (DOCS_PORT=8080)"
	@echo "make bench - landing throughput per format on 1M synthetic records"
	@echo "make bench-night - the whole night against a plain DuckDB script (BENCH_RECORDS=1000000)"
	@echo "make dashboard - serve the Superset dashboard on the analysts' file (CCW_DASHBOARD_PORT)"
	@echo "make dashboard-screenshot - redraw docs/dashboard.png from the sample drops' night"

$(STAMP): pyproject.toml requirements.lock
	@command -v $(PYTHON) >/dev/null || { echo "need $(PYTHON)"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c requirements.lock -e '.[dev]'
	@touch $(STAMP)

$(DAGSTER_HOME)/dagster.yaml: dagster.yaml $(STAMP)
	$(BIN)/python -m orchestration.defs.dagster_home $(DAGSTER_HOME)

$(MANIFEST): $(STAMP) $(shell find dbt_project/models dbt_project/macros dbt_project/tests seeds/reference -type f 2>/dev/null) dbt_project/dbt_project.yml profiles.yml
	$(DBT) parse --quiet
	@touch $(MANIFEST)

setup: $(STAMP) $(DAGSTER_HOME)/dagster.yaml $(MANIFEST)

run: setup
	@mkdir -p $(dir $(CCW_DB_PATH))
	$(BIN)/python -m orchestration.defs.run_nightly

test: setup lint browser dashboard-setup
	$(BIN)/pytest

lint: $(STAMP) $(MANIFEST)
	$(BIN)/ruff format --check orchestration tests dashboard bench
	$(BIN)/ruff check orchestration tests dashboard bench
	@mkdir -p .lint
	CCW_BUILD_DB_PATH=$(CURDIR)/.lint/ccw.duckdb $(BIN)/sqlfluff lint dbt_project
	# the project's structure: layers, names, descriptions, keys, sources (dbt-bouncer.yml)
	cd dbt_project && ../$(BIN)/dbt-bouncer run --config-file dbt-bouncer.yml

# the code location is pyproject's [tool.dagster] (module and name `ccw`); the schedule and the
# sensor start stopped: turn them on in the UI (Automation) or with `dagster schedule start`
dev: setup
	$(BIN)/dagster dev

DOCS_PORT ?= 8080

docs: setup
	@mkdir -p $(dir $(CCW_BUILD_DB_PATH))
	$(DBT) docs generate --quiet
	@echo "docs: http://localhost:$(DOCS_PORT) (Ctrl-C stops)"
	$(DBT) docs serve --port $(DOCS_PORT) --no-browser

bench: setup
	$(BIN)/python bench/landing_benchmark.py

bench-night: setup
	$(BIN)/python bench/night_benchmark.py

# The dashboard: Superset in its own environment (its pins are not the warehouse's), its state
# (metadata database, admin) under .superset/home
SUPERSET_VENV := .superset/venv
SUPERSET_STAMP := $(SUPERSET_VENV)/.installed
CCW_DASHBOARD_PORT ?= 8088

$(SUPERSET_STAMP): dashboard/requirements.txt dashboard/requirements.lock
	@command -v $(PYTHON) >/dev/null || { echo "need $(PYTHON)"; exit 1; }
	@test -x $(SUPERSET_VENV)/bin/python || $(PYTHON) -m venv $(SUPERSET_VENV)
	$(SUPERSET_VENV)/bin/pip install --quiet --upgrade pip
	$(SUPERSET_VENV)/bin/pip install --quiet -c dashboard/requirements.lock -r dashboard/requirements.txt
	@touch $(SUPERSET_STAMP)

dashboard-setup: $(SUPERSET_STAMP)

dashboard: setup $(SUPERSET_STAMP)
	@test -f $(CCW_DB_PATH) || $(MAKE) run
	$(SUPERSET_VENV)/bin/python -m dashboard.serve --db-path $(CCW_DB_PATH) \
		--home .superset/home --port $(CCW_DASHBOARD_PORT)

dashboard-screenshot: setup $(SUPERSET_STAMP) browser
	@test -f $(CCW_DB_PATH) || $(MAKE) run
	$(BIN)/python -m dashboard.browser $(CCW_DB_PATH) docs/dashboard.png

# Debian's Chromium and its driver, for the browser test (installed once, as root or with sudo)
browser:
	@command -v chromedriver >/dev/null && command -v chromium >/dev/null || { \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium chromium-driver >/dev/null; }

lock-dashboard: $(SUPERSET_STAMP)
	$(SUPERSET_VENV)/bin/pip freeze --exclude-editable > dashboard/requirements.lock

lock: $(STAMP)
	$(BIN)/pip freeze --exclude-editable | grep -v '^ccw' > requirements.lock

clean:
	rm -rf warehouse .dagster .lint .superset dbt_project/target dbt_project/logs
