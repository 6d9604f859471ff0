# Two commands on a fresh machine: `make demo` (the main job end to end on built-in data) and `make test`.
# Both create the virtual environment they need in .venv. `make test` first installs the system packages the
# tests need (LibreOffice, python3-uno, poppler-utils, chromium, chromium-driver) when they are missing: scripts/setup-system.sh.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test system-deps lint typecheck check schemas docs clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,docs]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/python -m musforms._cli.demo demo-out

# system-deps is listed first: without root the set-up stops `make test` (exit 2) before the environment is made.
test: system-deps $(STAMP)
	$(BIN)/python -m pytest

system-deps:
	@scripts/setup-system.sh

lint: $(STAMP)
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests benchmarks scripts

typecheck: $(STAMP)
	$(BIN)/mypy

check: lint typecheck test

schemas: $(STAMP)
	$(BIN)/musforms schema --out schemas

# `make docs` regenerates the reference pages from the code (scripts/gen_docs.py) and builds the site into
# site/ with warnings as errors. It needs no network: see mkdocs.yml and docs/hooks/offline.py.
docs: $(STAMP)
	$(BIN)/python scripts/gen_docs.py
	NO_MKDOCS_2_WARNING=1 $(BIN)/python -m mkdocs build --strict --site-dir site

# `make bench` runs the benchmark of rendering and parsing against docxtpl and python-docx (docs/performance.md);
# `make bench BENCH_ARGS="--n 1000 --write-docs"` also rewrites the results in that page.
BENCH_ARGS ?=
BENCH_STAMP := $(VENV)/.bench-installed

$(BENCH_STAMP): $(STAMP) pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	touch $(BENCH_STAMP)

.PHONY: bench
bench: $(BENCH_STAMP)
	$(BIN)/python -m benchmarks.bench_docx $(BENCH_ARGS)

clean:
	rm -rf $(VENV) demo-out dist build .pytest_cache .mypy_cache .ruff_cache
