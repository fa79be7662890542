# Continuum task menu. Needs only python3, make and git: the first target bootstraps uv
# into .tools/ and the project's locked environment into .venv/.
UV_VERSION := 0.13.9
UV := .tools/bin/uv
RUN := $(UV) run --frozen
DEMO_DIR := .demo
PORT ?= 8000
LINT_PATHS := $(wildcard src tests bench scripts)

.PHONY: help setup demo serve test lint typecheck check bench bench-students bench-toms bench-early-warning bench-cli bench-web screens clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(UV):
	python3 -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

.venv/.synced: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --compile-bytecode
	touch $@

setup: .venv/.synced  ## install the locked environment into .venv

demo: setup  ## synthetic county: Dashboard levels and DA on the terminal, then the web app (PORT=8000)
	$(RUN) continuum synth county --out $(DEMO_DIR)/county --seed 2025
	$(RUN) continuum dashboard levels $(DEMO_DIR)/county/*.txt --out $(DEMO_DIR)/levels.csv
	$(RUN) continuum dashboard summary $(DEMO_DIR)/levels.csv
	$(RUN) continuum support da --year 2025 --dashboard $(DEMO_DIR)/county --out $(DEMO_DIR)/da2025.csv
	$(RUN) continuum support explain 34103400000000 --year 2025 --dashboard $(DEMO_DIR)/county
	$(RUN) continuum serve --port $(PORT)

serve: setup  ## the web app on 127.0.0.1 (PORT=8000) with the demo county and users (docs/web)
	$(RUN) continuum serve --port $(PORT)

test: setup  ## run the whole test suite, with lint and type checks (database tests also on PostgreSQL when DATABASE_URL is set)
	$(RUN) ruff check $(LINT_PATHS)
	$(RUN) ruff format --check $(LINT_PATHS)
	$(RUN) mypy
	DATABASE_URL= $(RUN) pytest
	@case "$$DATABASE_URL" in postgres://*|postgresql://*) \
		echo "Database tests again, on PostgreSQL"; $(RUN) pytest -m django_db;; esac

lint: setup  ## ruff lint and format check
	$(RUN) ruff check $(LINT_PATHS)
	$(RUN) ruff format --check $(LINT_PATHS)

typecheck: setup  ## mypy, strict
	$(RUN) mypy

bench: setup  ## statewide-sized benchmark: levels vs plain Polars read, peak memory
	$(RUN) python bench/levels_statewide.py

bench-students: setup  ## statewide student-level calculators (~6 million students): time, peak memory
	$(RUN) python bench/students_statewide.py

bench-toms: setup  ## a statewide TOMS CAASPP caret file (3 M records): read and ELA/Math, time and peak memory
	$(RUN) python bench/toms_statewide.py

bench-early-warning: setup  ## early-warning flags over 250,000 students x 180 days and a year of marks: time, peak memory
	$(RUN) python bench/early_warning.py

bench-cli: setup  ## start-up time of continuum --help (lazy commands) and of one command's --help
	$(RUN) python bench/cli_startup.py

bench-web: setup  ## pages under gunicorn while an import runs: p50/p95 and errors (PostgreSQL too with DATABASE_URL)
	$(RUN) python bench/web_load.py

screens: setup  ## screenshots of each main page at 390 and 1,280 px into docs/web/screens/ (starts the demo; needs Chromium)
	$(RUN) python scripts/screens.py

clean:  ## remove generated files and environments
	rm -rf .venv .tools $(DEMO_DIR) .pytest_cache .mypy_cache .ruff_cache
